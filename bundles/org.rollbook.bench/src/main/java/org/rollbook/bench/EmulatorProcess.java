package org.rollbook.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.rollbook.emulator.clever.CleverEmulator;
import org.rollbook.emulator.clever.District;
import org.rollbook.emulator.clever.DistrictSpec;
import org.rollbook.emulator.oneroster.OneRosterEmulator;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A provider's emulator in a JVM of its own, as the provider's servers are not in Rollbook's process: the
 * measured JVM's heap, collections and RSS are then Rollbook's alone (with the emulator in the same JVM, a
 * 1M district's generated users held about half of the {@code -Xmx1g} heap, and the sync paid for
 * collecting around them). Both processes share the machine's cores, as before.
 *
 * <p>The child prints one {@code READY {json}} line with what a connector needs to reach it, then takes
 * commands on its standard input, one a line: {@code mutate N} (Clever: N students change, answered by
 * {@code MUTATED N}). It ends when its standard input closes, so that it never outlives the run.
 */
final class EmulatorProcess implements AutoCloseable {

    /** The emulator's heap: a 1M district's users take about 0.5 GB in the emulator. */
    private static final String HEAP = "-Xmx2g";

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final Map<String, String> ready;

    private EmulatorProcess(String kind, int students) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                EmulatorProcess.class.getName(), kind, Integer.toString(students)));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        try {
            ready = new ObjectMapper().readValue(reply("READY "), new TypeReference<Map<String, String>>() {
            });
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A Clever district of {@code students} (teachers 1:15, staff 1:50, schools 1:500), seed 7. */
    static EmulatorProcess clever(int students) throws IOException {
        return new EmulatorProcess("clever", students);
    }

    /** A OneRoster tenant of {@code students}, seed 7. */
    static EmulatorProcess oneRoster(int students) throws IOException {
        return new EmulatorProcess("oneroster", students);
    }

    /** What the child reported when ready: {@code baseUrl}, and the provider's credentials. */
    String get(String key) {
        String v = ready.get(key);
        if (v == null) {
            throw new IllegalStateException("the emulator reported no " + key + ": " + ready);
        }
        return v;
    }

    /** {@code n} students change (Clever): see {@link #mutate(District, int)}. */
    long mutate(int n) throws IOException {
        in.println("mutate " + n);
        return Long.parseLong(reply("MUTATED "));
    }

    /** The rest of the child's next line that starts with {@code prefix}. */
    private String reply(String prefix) throws IOException {
        for (String line; (line = out.readLine()) != null;) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        throw new IOException("the emulator process ended (exit " + exitCode() + ") without answering " + prefix.strip());
    }

    private String exitCode() {
        try {
            return process.waitFor(10, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "none yet";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    @Override
    public void close() {
        in.close(); // the child ends at the end of its input
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Child entry: {@code EmulatorProcess clever|oneroster <students>}. */
    public static void main(String[] args) throws Exception {
        int students = Integer.parseInt(args[1]);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ObjectMapper json = new ObjectMapper();
        if (args[0].equals("clever")) {
            try (CleverEmulator clever = CleverEmulator.builder().seed(7).district(DistrictSpec.ofStudents(students))
                    .threads(2).build().start()) {
                System.out.println("READY " + json.writeValueAsString(Map.of("baseUrl", clever.baseUrl().toString(),
                        "district", clever.districtId(), "clientId", clever.clientId(), "clientSecret", clever.clientSecret())));
                System.out.flush();
                for (String line; (line = commands.readLine()) != null;) {
                    if (line.startsWith("mutate ")) {
                        System.out.println("MUTATED " + mutate(clever.district(), Integer.parseInt(line.substring(7).strip())));
                        System.out.flush();
                    }
                }
            }
        } else {
            try (OneRosterEmulator roster = OneRosterEmulator.builder().seed(7)
                    .district(org.rollbook.emulator.oneroster.DistrictSpec.ofStudents(students)).build().start()) {
                System.out.println("READY " + json.writeValueAsString(Map.of("baseUrl", roster.baseUrlV1p1().toString(),
                        "tenantId", roster.tenantId(), "consumerKey", roster.consumerKey(),
                        "consumerSecret", roster.consumerSecret())));
                System.out.flush();
                while (commands.readLine() != null) {
                    // nothing to do until the run ends
                }
            }
        }
        System.exit(0);
    }

    /**
     * 1% of the district changes: 40% edits, 30% new students, 30% removals, spread evenly over the district
     * (every k-th student; new ones round the schools), as day-to-day changes are, so that no school loses
     * enough patrons for the safety hold to stop the run. Returns how many.
     */
    static long mutate(District d, int n) {
        List<String> ids = d.userIds(District.ROLE_STUDENT);
        List<Map<String, Object>> schools = d.schools();
        int edits = n * 4 / 10;
        int adds = n * 3 / 10;
        int removals = n - edits - adds;
        int step = Math.max(1, ids.size() / (edits + removals));
        for (int i = 0; i < edits + removals; i++) {
            String id = ids.get(i * step);
            if (i % 4 < 2 || i >= 2 * removals) { // alternate edits and removals while both remain
                d.updateUser(id, Map.of("name.last", "Changed" + i));
            } else {
                d.removeUser(id);
            }
        }
        for (int i = 0; i < adds; i++) {
            d.addStudent("New", "Student" + i, String.valueOf(schools.get(i % schools.size()).get("id")), "5");
        }
        return n;
    }
}
