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

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The benchmark harness: each district size runs in its own JVM with {@code -Xmx1g} (so peak heap and RSS
 * belong to that run alone), and the results go to BENCHMARKS.md and a JSON file.
 * Usage: {@code Benchmarks --sizes 10000,100000,1000000 --classlink 100000 --markdown BENCHMARKS.md --json benchmarks.json
 * [--jfr DIR]}
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
        List<BenchmarkRun.Result> results = new ArrayList<>();
        for (String size : sizes(opts.getOrDefault("--sizes", "10000"))) {
            BenchmarkRun.Result r = child(BenchmarkRun.Result.class, jfr, "clever-" + size, size);
            System.out.printf("%,d students: full %.1f s (floor %.1f s, %.2f×; fetch ∥ insert %.1f s, %.2f×), re-sync %.1f s (%d writes), incremental %.1f s (%s), heap %d MB (%d MB after GC), RSS %d MB%n",
                    r.students(), r.fullSync(), r.floor(), r.ratio(), r.overlappedFloor(), r.overlappedRatio(), r.resync(),
                    r.resyncWrites(), r.incremental(),
                    r.incrementalStatus(), r.peakHeapMb(), r.heapAfterGcMb(), r.peakRssMb());
            System.out.println("  full sync: " + r.fullPhases());
            System.out.println("  re-sync:   " + r.resyncPhases());
            results.add(r);
        }
        List<BenchmarkRun.ClassLinkResult> classlink = new ArrayList<>();
        for (String size : sizes(opts.getOrDefault("--classlink", ""))) {
            BenchmarkRun.ClassLinkResult r = child(BenchmarkRun.ClassLinkResult.class, jfr, "classlink-" + size, "classlink", size);
            System.out.printf("ClassLink %,d students: full %.1f s (fetch floor %.1f s), heap %d MB (%d MB after GC), RSS %d MB%n  %s%n",
                    r.students(), r.fullSync(), r.fetchFloor(), r.peakHeapMb(), r.heapAfterGcMb(), r.peakRssMb(), r.fullPhases());
            classlink.add(r);
        }
        if (opts.containsKey("--json")) {
            Files.writeString(Path.of(opts.get("--json")), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(Map.of("machine", machine(), "date", LocalDate.now().toString(), "command", COMMAND,
                            "results", results, "classlink", classlink)));
        }
        if (opts.containsKey("--markdown")) {
            Path md = Path.of(opts.get("--markdown"));
            Files.writeString(md, withNotes(markdown(results, classlink), md));
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

    static String markdown(List<BenchmarkRun.Result> results, List<BenchmarkRun.ClassLinkResult> classlink) {
        StringBuilder b = new StringBuilder();
        b.append("# Benchmarks\n\n");
        b.append("Machine: ").append(machine()).append(". Date: ").append(LocalDate.now()).append(".\n\n");
        b.append("Command: `").append(COMMAND).append("` (writes this file and `benchmarks.json`;\n")
                .append("add `-Dbench.jfr=DIR` for a flight recording of each run).\n\n");
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
        b.append("| students | records | full first sync | records/s | floor (fetch + insert) | full ÷ floor | fetch ∥ insert | full ÷ fetch ∥ insert | no-change re-sync (writes) | incremental, 1% changed | peak heap | heap after GC | peak RSS |\n");
        b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (BenchmarkRun.Result r : results) {
            b.append(String.format("| %,d | %,d | %.1f s | %,.0f | %.1f s (%.1f + %.1f) | %.2f× | %.1f s | %.2f× | %.1f s (%d) | %.1f s%s | %d MB | %d MB | %d MB |%n",
                    r.students(), r.records(), r.fullSync(), r.records() / r.fullSync(), r.floor(), r.fetchFloor(),
                    r.insertFloor(), r.ratio(), r.overlappedFloor(), r.overlappedRatio(), r.resync(), r.resyncWrites(),
                    r.incremental(),
                    r.incrementalStatus().equals("completed") ? "" : " (" + r.incrementalStatus() + ")", r.peakHeapMb(),
                    r.heapAfterGcMb(), r.peakRssMb()));
        }
        if (!classlink.isEmpty()) {
            b.append("\nClassLink: the OneRoster emulator (students, teachers, administrators, parents 0.95 per student,\n")
                    .append("demographics) through the ClassLink connector with its default page size (1,000), OAuth 1.0a signed.\n\n");
            b.append("| students | records | full first sync | records/s | fetch floor | full ÷ fetch floor | peak heap | heap after GC | peak RSS |\n");
            b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (BenchmarkRun.ClassLinkResult r : classlink) {
                b.append(String.format("| %,d | %,d | %.1f s%s | %,.0f | %.1f s | %.2f× | %d MB | %d MB | %d MB |%n", r.students(),
                        r.records(), r.fullSync(), r.fullStatus().equals("completed") ? "" : " (" + r.fullStatus() + ")",
                        r.records() / r.fullSync(), r.fetchFloor(), r.fullSync() / r.fetchFloor(), r.peakHeapMb(),
                        r.heapAfterGcMb(), r.peakRssMb()));
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
                .append("waited for the load to take a batch.\n\n");
        phaseTable(b, "full first sync", results, BenchmarkRun.Result::fullPhases);
        phaseTable(b, "no-change re-sync", results, BenchmarkRun.Result::resyncPhases);

        b.append("\n## Targets (issue 7)\n\n| target | result | |\n|---|---|---|\n");
        for (BenchmarkRun.Result r : results) {
            if (r.students() == 100_000) {
                target(b, "100k full first sync ≤ 30 s", String.format("%.1f s", r.fullSync()), r.fullSync() <= 30);
                target(b, "100k no-change re-sync ≤ 10 s, zero patron writes", String.format("%.1f s, %d writes", r.resync(),
                        r.resyncWrites()), r.resync() <= 10 && r.resyncWrites() == 0);
                target(b, "100k incremental, 1% changed ≤ 3 s", String.format("%.1f s", r.incremental()),
                        r.incremental() <= 3 && r.incrementalStatus().equals("completed"));
            }
            if (r.students() == 1_000_000) {
                target(b, "1M full first sync ≤ 5 min, `-Xmx1g`", String.format("%.1f s, %s", r.fullSync(), r.fullStatus()),
                        r.fullSync() <= 300 && r.fullStatus().equals("completed"));
            }
            target(b, String.format("%,d: full sync ≤ 2.0× the floor", r.students()), String.format("%.2f×", r.ratio()),
                    r.ratio() <= 2.0);
        }
        return b.toString();
    }

    private static void target(StringBuilder b, String target, String result, boolean met) {
        b.append("| ").append(target).append(" | ").append(result).append(" | ").append(met ? "met" : "**not met**").append(" |\n");
    }

    private static void phaseTable(StringBuilder b, String title, List<BenchmarkRun.Result> results,
            java.util.function.Function<BenchmarkRun.Result, Map<String, Double>> phases) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (BenchmarkRun.Result r : results) {
            phases.apply(r).forEach((k, v) -> {
                if (v >= 0.05) {
                    names.add(k);
                }
            });
        }
        b.append("| ").append(title).append(" |");
        results.forEach(r -> b.append(String.format(" %,d |", r.students())));
        b.append("\n|---|");
        results.forEach(r -> b.append("---:|"));
        b.append("\n");
        for (String n : names) {
            b.append("| ").append(n).append(" |");
            for (BenchmarkRun.Result r : results) {
                Double v = phases.apply(r).get(n);
                b.append(v == null ? " – |" : String.format(" %.1f s |", v));
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
