package org.rollbook.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The benchmark harness: each district size runs in its own JVM with {@code -Xmx1g} (so peak heap and RSS
 * belong to that run alone), and the results go to BENCHMARKS.md and a JSON file.
 * Usage: {@code Benchmarks --sizes 10000,100000,1000000 --classlink 100000 --markdown BENCHMARKS.md --json benchmarks.json
 * [--runs N] [--jfr DIR]}; with {@code --runs N} each size runs N times (the sizes in turn) and the tables give medians.
 */
public final class Benchmarks {

    static final String COMMAND = "mvn -Pbench verify -pl bundles/org.rollbook.bench -am -Dbench.sizes=10000,100000,1000000"
            + " -Dbench.classlink=100000";

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        String jfr = opts.getOrDefault("--jfr", "");
        int runs = Integer.parseInt(opts.getOrDefault("--runs", "1").strip());
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1, not " + runs);
        }
        List<String> cleverSizes = sizes(opts.getOrDefault("--sizes", "10000"));
        List<String> classlinkSizes = sizes(opts.getOrDefault("--classlink", ""));
        Map<String, List<BenchmarkRun.Result>> results = new LinkedHashMap<>();
        Map<String, List<BenchmarkRun.ClassLinkResult>> classlink = new LinkedHashMap<>();
        // the sizes in turn, then again: a slow spell of the machine falls on several sizes, not all runs of one
        for (int run = 1; run <= runs; run++) {
            String of = runs > 1 ? " (run " + run + " of " + runs + ")" : "";
            for (String size : cleverSizes) {
                String name = "clever-" + size + (runs > 1 ? "-" + run : "");
                BenchmarkRun.Result r = child(BenchmarkRun.Result.class, jfr, name, size);
                System.out.printf("%,d students%s: full %.1f s (floor %.1f s, %.2f×; fetch ∥ insert %.1f s, %.2f×), re-sync %.1f s (%d writes), incremental %.1f s (%s), heap %d MB (%d MB after GC), RSS %d MB%n",
                        r.students(), of, r.fullSync(), r.floor(), r.ratio(), r.overlappedFloor(), r.overlappedRatio(),
                        r.resync(), r.resyncWrites(), r.incremental(),
                        r.incrementalStatus(), r.peakHeapMb(), r.heapAfterGcMb(), r.peakRssMb());
                System.out.println("  full sync: " + r.fullPhases());
                System.out.println("  re-sync:   " + r.resyncPhases());
                results.computeIfAbsent(size, k -> new ArrayList<>()).add(r);
                report(opts, results, classlink);
            }
            for (String size : classlinkSizes) {
                String name = "classlink-" + size + (runs > 1 ? "-" + run : "");
                BenchmarkRun.ClassLinkResult r = child(BenchmarkRun.ClassLinkResult.class, jfr, name, "classlink", size);
                System.out.printf("ClassLink %,d students%s: full %.1f s (fetch floor %.1f s), heap %d MB (%d MB after GC), RSS %d MB%n  %s%n",
                        r.students(), of, r.fullSync(), r.fetchFloor(), r.peakHeapMb(), r.heapAfterGcMb(), r.peakRssMb(),
                        r.fullPhases());
                classlink.computeIfAbsent(size, k -> new ArrayList<>()).add(r);
                report(opts, results, classlink);
            }
        }
    }

    /**
     * Writes BENCHMARKS.md and the JSON file with the runs so far: called after every run, so that a run that fails
     * half an hour in leaves what the earlier ones measured.
     */
    private static void report(Map<String, String> opts, Map<String, List<BenchmarkRun.Result>> results,
            Map<String, List<BenchmarkRun.ClassLinkResult>> classlink) throws java.io.IOException {
        List<List<BenchmarkRun.Result>> bySize = new ArrayList<>(results.values());
        List<List<BenchmarkRun.ClassLinkResult>> classlinkBySize = new ArrayList<>(classlink.values());
        if (opts.containsKey("--json")) {
            Files.writeString(Path.of(opts.get("--json")), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(Map.of("machine", machine(), "date", LocalDate.now().toString(), "command", COMMAND,
                            "runs", bySize.stream().mapToInt(List::size).max().orElse(0), "results", bySize,
                            "classlink", classlinkBySize)));
        }
        if (opts.containsKey("--markdown")) {
            Path md = Path.of(opts.get("--markdown"));
            Files.writeString(md, withNotes(markdown(bySize, classlinkBySize), md));
        }
    }

    private static List<String> sizes(String list) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                out.add(Integer.toString(Integer.parseInt(s.strip())));
            }
        }
        return out;
    }

    /**
     * Runs {@link BenchmarkRun} with {@code args} in a fresh JVM ({@code -Xmx1g}) and reads its result. With a JFR
     * directory, the child records a flight recording (profiling settings) to {@code <dir>/bench-<name>.jfr}.
     */
    static <T> T child(Class<T> type, String jfrDirectory, String name, String... args) throws Exception {
        Path dir = Files.createTempDirectory("rollbook-bench-" + name + "-");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        if (!jfrDirectory.isBlank()) {
            Path jfr = Files.createDirectories(Path.of(jfrDirectory)).resolve("bench-" + name + ".jfr");
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + jfr.toAbsolutePath());
            System.out.println("recording " + jfr.toAbsolutePath());
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchmarkRun.class.getName()));
        command.addAll(List.of(args));
        command.add(dir.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring(7);
                } else {
                    out.append(line).append('\n');
                }
            }
        }
        int exit = p.waitFor();
        deleteTree(dir);
        if (result == null || exit != 0) {
            throw new IllegalStateException("the " + name + " run failed (exit " + exit + "):\n" + out);
        }
        return new ObjectMapper().readValue(result, type);
    }

    static String machine() {
        String cpu = "unknown CPU";
        long memKb = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    cpu = l.substring(l.indexOf(':') + 1).strip();
                    break;
                }
            }
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memKb / 1024 / 1024 + " GiB, Java "
                + System.getProperty("java.version");
    }

    /** Hand-written notes below this line in BENCHMARKS.md survive a rerun of the harness. */
    static final String NOTES = "<!-- notes: kept when the harness rewrites this file -->";

    /**
     * BENCHMARKS.md's generated part. {@code results} and {@code classlink} hold the runs of each size; every figure of
     * the main tables is the median of its runs (memory: the most any run used), and each run has a line of its own.
     */
    static String markdown(List<List<BenchmarkRun.Result>> results, List<List<BenchmarkRun.ClassLinkResult>> classlink) {
        int runs = java.util.stream.Stream.concat(results.stream(), classlink.stream()).mapToInt(List::size).max().orElse(1);
        StringBuilder b = new StringBuilder();
        b.append("# Benchmarks\n\n");
        b.append("Machine: ").append(machine()).append(". Date: ").append(LocalDate.now()).append(".\n\n");
        b.append("Command: `").append(COMMAND).append("` (writes this file and `benchmarks.json`;\n")
                .append("add `-Dbench.jfr=DIR` for a flight recording of each run, `-Dbench.runs=N` for N runs of each size).\n\n");
        b.append("Each run is a fresh JVM with `-Xmx1g`: the real connector over HTTP to the emulator on loopback, which\n")
                .append("runs in a JVM of its own (as the provider's servers are not in Rollbook's process; it shares the cores),\n")
                .append("the sync engine and a fresh embedded Derby store. Clever districts are generated with teachers 1:15,\n")
                .append("staff 1:50, 3 district admins, schools 1:500, and read in pages of 10,000. *Floor* = fetching every page\n")
                .append("without processing it + bulk-importing as many patron rows into a fresh Derby table (`SYSCS_IMPORT_DATA`,\n")
                .append("same schema and indexes), one after the other, as issue 7 defines it. A first sync into an empty store\n")
                .append("loads while it reads, so it can beat that sum; *fetch ∥ insert* runs the same two at once (the fetch on\n")
                .append("one thread, the import on another), the floor for a sync that overlaps them on these two cores.\n")
                .append("The incremental run follows 1% of the students changing (40% edits, 30% new,\n")
                .append("30% removed, spread over the district) through Clever events.\n\n");
        if (runs > 1) {
            b.append("**Each size ran ").append(runs).append(" times** (the sizes in turn, then again). Every figure below is the\n")
                    .append("median of its runs (a ratio: the median of the runs' ratios), memory the most any run used;\n")
                    .append("*Every run* lists each one, and the targets give the range.\n\n");
        }
        b.append("| students | records | full first sync | records/s | floor (fetch + insert) | full ÷ floor | fetch ∥ insert | full ÷ fetch ∥ insert | no-change re-sync (writes) | incremental, 1% changed | peak heap | heap after GC | peak RSS |\n");
        b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (List<BenchmarkRun.Result> r : results) {
            BenchmarkRun.Result first = r.get(0);
            double full = median(r, BenchmarkRun.Result::fullSync);
            String incremental = statuses(r, BenchmarkRun.Result::incrementalStatus);
            b.append(String.format("| %,d | %,d | %.1f s | %,.0f | %.1f s (%.1f + %.1f) | %.2f× | %.1f s | %.2f× | %.1f s (%d) | %.1f s%s | %d MB | %d MB | %d MB |%n",
                    first.students(), first.records(), full, first.records() / full, median(r, BenchmarkRun.Result::floor),
                    median(r, BenchmarkRun.Result::fetchFloor), median(r, BenchmarkRun.Result::insertFloor),
                    median(r, BenchmarkRun.Result::ratio), median(r, BenchmarkRun.Result::overlappedFloor),
                    median(r, BenchmarkRun.Result::overlappedRatio), median(r, BenchmarkRun.Result::resync),
                    most(r, BenchmarkRun.Result::resyncWrites), median(r, BenchmarkRun.Result::incremental),
                    unlessCompleted(incremental), most(r, BenchmarkRun.Result::peakHeapMb),
                    most(r, BenchmarkRun.Result::heapAfterGcMb), most(r, BenchmarkRun.Result::peakRssMb)));
        }
        if (!classlink.isEmpty()) {
            b.append("\nClassLink: the OneRoster emulator (students, teachers, administrators, parents 0.95 per student,\n")
                    .append("demographics) through the ClassLink connector with its default page size (1,000), OAuth 1.0a signed.\n\n");
            b.append("| students | records | full first sync | records/s | fetch floor | full ÷ fetch floor | peak heap | heap after GC | peak RSS |\n");
            b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (List<BenchmarkRun.ClassLinkResult> r : classlink) {
                BenchmarkRun.ClassLinkResult first = r.get(0);
                double full = median(r, BenchmarkRun.ClassLinkResult::fullSync);
                String status = statuses(r, BenchmarkRun.ClassLinkResult::fullStatus);
                b.append(String.format("| %,d | %,d | %.1f s%s | %,.0f | %.1f s | %.2f× | %d MB | %d MB | %d MB |%n", first.students(),
                        first.records(), full, unlessCompleted(status), first.records() / full,
                        median(r, BenchmarkRun.ClassLinkResult::fetchFloor), median(r, BenchmarkRun.ClassLinkResult::ratio),
                        most(r, BenchmarkRun.ClassLinkResult::peakHeapMb), most(r, BenchmarkRun.ClassLinkResult::heapAfterGcMb),
                        most(r, BenchmarkRun.ClassLinkResult::peakRssMb)));
            }
        }
        b.append("\n*Peak heap* is the sum of each heap pool's peak use (JMX): it counts garbage the collector had not reclaimed\n")
                .append("yet, up to the `-Xmx1g` limit. *Heap after GC* is the most the heap held right after a collection, closer\n")
                .append("to what the run kept alive. *Peak RSS* is the process's VmHWM. The emulator runs in a JVM of its own and counts in none of them.\n");

        b.append("\n## Where the time goes\n\n");
        b.append("Seconds of each run, measured by wrapping the store and the connector (`Phases`): the connector's reading\n")
                .append("(HTTP and JSON, outside the engine's sink), the engine's matching and planning (inside the sink, outside\n")
                .append("the store), each store call, and the rest (plan spool, apply loop). A full first sync loads the empty store\n")
                .append("while it reads: its `store.load` runs on a thread of its own alongside reading and planning, so that run's\n")
                .append("phases overlap and add up to more than its wall time, and its planning includes the time the planner\n")
                .append("waited for the load to take a batch.").append(runs > 1 ? " Medians of the runs." : "").append("\n\n");
        phaseTable(b, "full first sync", results, BenchmarkRun.Result::fullPhases);
        phaseTable(b, "no-change re-sync", results, BenchmarkRun.Result::resyncPhases);

        b.append("\n## Targets (issue 7)\n\n");
        if (runs > 1) {
            b.append("The median of the runs, their range in brackets; *met* means met by every run.\n\n");
        }
        b.append("| target | result | |\n|---|---|---|\n");
        for (List<BenchmarkRun.Result> r : results) {
            int students = r.get(0).students();
            if (students == 100_000) {
                target(b, "100k full first sync ≤ 30 s", r, BenchmarkRun.Result::fullSync, "%.1f s", "",
                        x -> x.fullSync() <= 30);
                target(b, "100k no-change re-sync ≤ 10 s, zero patron writes", r, BenchmarkRun.Result::resync, "%.1f s",
                        String.format(", %d writes", most(r, BenchmarkRun.Result::resyncWrites)),
                        x -> x.resync() <= 10 && x.resyncWrites() == 0);
                target(b, "100k incremental, 1% changed ≤ 3 s", r, BenchmarkRun.Result::incremental, "%.1f s", "",
                        x -> x.incremental() <= 3 && x.incrementalStatus().equals("completed"));
            }
            if (students == 1_000_000) {
                target(b, "1M full first sync ≤ 5 min, `-Xmx1g`", r, BenchmarkRun.Result::fullSync, "%.1f s",
                        ", " + statuses(r, BenchmarkRun.Result::fullStatus),
                        x -> x.fullSync() <= 300 && x.fullStatus().equals("completed"));
            }
            target(b, String.format("%,d: full sync ≤ 2.0× the floor", students), r, BenchmarkRun.Result::ratio, "%.2f×", "",
                    x -> x.ratio() <= 2.0);
        }
        if (runs > 1) {
            everyRun(b, results, classlink);
        }
        return b.toString();
    }

    private static void everyRun(StringBuilder b, List<List<BenchmarkRun.Result>> results,
            List<List<BenchmarkRun.ClassLinkResult>> classlink) {
        b.append("\n## Every run\n\n");
        b.append("| students | run | full first sync | floor (fetch + insert) | full ÷ floor | fetch ∥ insert | full ÷ fetch ∥ insert | no-change re-sync (writes) | incremental, 1% changed | heap after GC | peak RSS |\n");
        b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (List<BenchmarkRun.Result> runs : results) {
            int i = 0;
            for (BenchmarkRun.Result r : runs) {
                b.append(String.format("| %,d | %d | %.1f s%s | %.1f s (%.1f + %.1f) | %.2f× | %.1f s | %.2f× | %.1f s (%d) | %.1f s%s | %d MB | %d MB |%n",
                        r.students(), ++i, r.fullSync(), unlessCompleted(r.fullStatus()),
                        r.floor(), r.fetchFloor(), r.insertFloor(), r.ratio(), r.overlappedFloor(), r.overlappedRatio(),
                        r.resync(), r.resyncWrites(), r.incremental(),
                        unlessCompleted(r.incrementalStatus()),
                        r.heapAfterGcMb(), r.peakRssMb()));
            }
        }
        if (!classlink.isEmpty()) {
            b.append("\n| ClassLink students | run | full first sync | fetch floor | full ÷ fetch floor | heap after GC | peak RSS |\n");
            b.append("|---:|---:|---:|---:|---:|---:|---:|\n");
            for (List<BenchmarkRun.ClassLinkResult> runs : classlink) {
                int i = 0;
                for (BenchmarkRun.ClassLinkResult r : runs) {
                    b.append(String.format("| %,d | %d | %.1f s%s | %.1f s | %.2f× | %d MB | %d MB |%n", r.students(), ++i,
                            r.fullSync(), unlessCompleted(r.fullStatus()),
                            r.fetchFloor(), r.ratio(), r.heapAfterGcMb(), r.peakRssMb()));
                }
            }
        }
    }

    /** A run's status after its time, in brackets, unless it completed. */
    private static String unlessCompleted(String status) {
        return status.equals("completed") ? "" : " (" + status + ")";
    }

    /** The median of one measure over runs: the middle run's, or the mean of the two middle ones. */
    static <T> double median(List<T> runs, ToDoubleFunction<T> measure) {
        double[] v = runs.stream().mapToDouble(measure).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** The most of one measure over runs (memory, writes: the worst run counts). */
    static <T> long most(List<T> runs, ToLongFunction<T> measure) {
        return runs.stream().mapToLong(measure).max().orElse(0);
    }

    /** "completed" when every run completed, else each status that occurred with its count. */
    private static <T> String statuses(List<T> runs, Function<T, String> status) {
        Map<String, Long> counts = runs.stream().collect(Collectors.groupingBy(status, LinkedHashMap::new, Collectors.counting()));
        if (counts.size() == 1) {
            return counts.keySet().iterator().next();
        }
        return counts.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** A target's line: the median (and the range of the runs), met only if every run met it. */
    private static <T> void target(StringBuilder b, String target, List<T> runs, ToDoubleFunction<T> measure,
            String format, String suffix, Predicate<T> met) {
        String result = String.format(format, median(runs, measure));
        if (runs.size() > 1) {
            double[] v = runs.stream().mapToDouble(measure).sorted().toArray();
            result += " (" + String.format(format, v[0]) + " – " + String.format(format, v[v.length - 1]) + ")";
        }
        long missed = runs.stream().filter(met.negate()).count();
        b.append("| ").append(target).append(" | ").append(result).append(suffix).append(" | ")
                .append(missed == 0 ? "met" : runs.size() == 1 ? "**not met**" : "**not met** in " + missed + " of " + runs.size() + " runs")
                .append(" |\n");
    }

    private static void phaseTable(StringBuilder b, String title, List<List<BenchmarkRun.Result>> results,
            Function<BenchmarkRun.Result, Map<String, Double>> phases) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (List<BenchmarkRun.Result> runs : results) {
            for (BenchmarkRun.Result r : runs) {
                phases.apply(r).forEach((k, v) -> {
                    if (v >= 0.05) {
                        names.add(k);
                    }
                });
            }
        }
        b.append("| ").append(title).append(" |");
        results.forEach(r -> b.append(String.format(" %,d |", r.get(0).students())));
        b.append("\n|---|");
        results.forEach(r -> b.append("---:|"));
        b.append("\n");
        for (String n : names) {
            b.append("| ").append(n).append(" |");
            for (List<BenchmarkRun.Result> runs : results) {
                List<Double> v = runs.stream().map(r -> phases.apply(r).get(n)).filter(java.util.Objects::nonNull).toList();
                b.append(v.isEmpty() ? " – |" : String.format(" %.1f s |", median(v, Double::doubleValue)));
            }
            b.append("\n");
        }
        b.append("\n");
    }

    /** The new text, keeping what follows the notes marker in the file it replaces. */
    static String withNotes(String generated, Path existing) throws java.io.IOException {
        String notes = "\n" + NOTES + "\n";
        if (Files.exists(existing)) {
            String old = Files.readString(existing);
            int at = old.indexOf(NOTES);
            if (at >= 0) {
                notes = "\n" + old.substring(at);
            }
        }
        return generated + notes;
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // best effort
        }
    }
}
