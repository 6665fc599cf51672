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
 * Usage: {@code Benchmarks --sizes 10000,100000,1000000 --markdown BENCHMARKS.md --json benchmarks.json}
 */
public final class Benchmarks {

    static final String COMMAND = "mvn -Pbench verify -pl bundles/org.rollbook.bench -am -Dbench.sizes=10000,100000,1000000";

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        List<BenchmarkRun.Result> results = new ArrayList<>();
        for (String size : opts.getOrDefault("--sizes", "10000").split(",")) {
            BenchmarkRun.Result r = child(Integer.parseInt(size.strip()), opts.getOrDefault("--jfr", ""));
            System.out.printf("%,d students: full %.1f s (floor %.1f s, %.2f×), re-sync %.1f s (%d writes), incremental %.1f s, heap %d MB, RSS %d MB%n",
                    r.students(), r.fullSync(), r.floor(), r.ratio(), r.resync(), r.resyncWrites(), r.incremental(),
                    r.peakHeapMb(), r.peakRssMb());
            System.out.println("  full sync: " + r.fullPhases());
            System.out.println("  re-sync:   " + r.resyncPhases());
            results.add(r);
        }
        if (opts.containsKey("--json")) {
            Files.writeString(Path.of(opts.get("--json")), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(Map.of("machine", machine(), "date", LocalDate.now().toString(), "command", COMMAND,
                            "results", results)));
        }
        if (opts.containsKey("--markdown")) {
            Files.writeString(Path.of(opts.get("--markdown")), markdown(results));
        }
    }

    /**
     * Runs one size in a fresh JVM. With a JFR directory, the child records a flight recording (profiling
     * settings) to {@code <dir>/bench-<students>.jfr}.
     */
    static BenchmarkRun.Result child(int students, String jfrDirectory) throws Exception {
        Path dir = Files.createTempDirectory("rollbook-bench-" + students + "-");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        if (!jfrDirectory.isBlank()) {
            Path jfr = Files.createDirectories(Path.of(jfrDirectory)).resolve("bench-" + students + ".jfr");
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + jfr.toAbsolutePath());
            System.out.println("recording " + jfr.toAbsolutePath());
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchmarkRun.class.getName(),
                Integer.toString(students), dir.toString()));
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
            throw new IllegalStateException("the " + students + "-student run failed (exit " + exit + "):\n" + out);
        }
        return new ObjectMapper().readValue(result, BenchmarkRun.Result.class);
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

    static String markdown(List<BenchmarkRun.Result> results) {
        StringBuilder b = new StringBuilder();
        b.append("# Benchmarks\n\n");
        b.append("Machine: ").append(machine()).append(". Date: ").append(LocalDate.now()).append(".\n\n");
        b.append("Command: `").append(COMMAND).append("` (writes this file and `benchmarks.json`).\n\n");
        b.append("Each size runs in a fresh JVM with `-Xmx1g`: the Clever emulator on loopback (in the same JVM), the real\n")
                .append("Clever connector over HTTP (pages of 10,000), the sync engine and a fresh embedded Derby store. Districts\n")
                .append("are generated with teachers 1:15, staff 1:50, 3 district admins, schools 1:500. *Floor* = fetching every page\n")
                .append("without processing it + bulk-importing as many patron rows into a fresh Derby table (`SYSCS_IMPORT_DATA`,\n")
                .append("same schema and indexes). The incremental run follows 1% of the students changing (40% edits, 30% new,\n")
                .append("30% removed) through Clever events.\n\n");
        b.append("| students | records | full first sync | records/s | floor (fetch + insert) | full ÷ floor | no-change re-sync (writes) | incremental, 1% changed | peak heap | peak RSS |\n");
        b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (BenchmarkRun.Result r : results) {
            b.append(String.format("| %,d | %,d | %.1f s | %,.0f | %.1f s (%.1f + %.1f) | %.2f× | %.1f s (%d) | %.1f s | %d MB | %d MB |%n",
                    r.students(), r.records(), r.fullSync(), r.records() / r.fullSync(), r.floor(), r.fetchFloor(),
                    r.insertFloor(), r.ratio(), r.resync(), r.resyncWrites(), r.incremental(), r.peakHeapMb(), r.peakRssMb()));
        }
        b.append("\n*Peak heap* is the sum of each heap pool's peak use (JMX), which over-states the live set: it includes garbage\n")
                .append("the collector had not yet reclaimed, up to the `-Xmx1g` limit. What `-Xmx1g` proves is that the run completed in it.\n")
                .append("*Peak RSS* is the process's VmHWM (Linux). The emulator runs in the same JVM and counts in both.\n");
        b.append("\nTargets (issue 7): 100k full first sync ≤ 30 s; 1M ≤ 5 min with `-Xmx1g`; 100k no-change re-sync ≤ 10 s with\n")
                .append("zero patron writes; 100k incremental with 1% changed ≤ 3 s; full sync ≤ 2.0× the floor.\n");
        return b.toString();
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // best effort
        }
    }
}
