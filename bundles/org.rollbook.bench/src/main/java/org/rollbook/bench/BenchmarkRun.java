package org.rollbook.bench;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.derby.jdbc.EmbeddedDriver;
import org.rollbook.api.config.ConfigProxy;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.patron.Site;
import org.rollbook.api.roster.FetchKind;
import org.rollbook.api.roster.FetchRequest;
import org.rollbook.api.roster.RosterConnector;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterSchool;
import org.rollbook.api.roster.RosterSink;
import org.rollbook.api.store.OperationStore;
import org.rollbook.api.store.PatronStore;
import org.rollbook.api.sync.Count;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.Outcome;
import org.rollbook.api.sync.Trigger;
import org.rollbook.connector.classlink.internal.ClassLinkConfiguration;
import org.rollbook.connector.classlink.internal.ClassLinkConnector;
import org.rollbook.connector.clever.internal.CleverConfiguration;
import org.rollbook.connector.clever.internal.CleverConnector;
import org.rollbook.store.derby.internal.DerbyPatronStore;
import org.rollbook.sync.internal.engine.RunSettings;
import org.rollbook.sync.internal.engine.SyncEngine;

/**
 * One district size, in this JVM: the real connector over HTTP to the Clever emulator on loopback (in a JVM of
 * its own, {@link EmulatorProcess}), the sync engine and a fresh embedded Derby store — and the floor for the
 * same work (fetching every page without processing it; bulk-importing as many patron rows into a fresh Derby
 * table). Or the same first full sync from the OneRoster emulator through the ClassLink connector.
 */
public final class BenchmarkRun {

    /** What one size measured; times in seconds. */
    public record Result(int students, long records, double fetchFloor, double insertFloor, double overlappedFloor,
            double fullSync,
            String fullStatus, double resync, long resyncWrites, double incremental, long incrementalChanges,
            String incrementalStatus, long peakHeapMb, long heapAfterGcMb, long peakRssMb,
            Map<String, Double> fullPhases, Map<String, Double> resyncPhases) {

        public double floor() {
            return fetchFloor + insertFloor;
        }

        public double ratio() {
            return fullSync / floor();
        }

        /** Against both floors run at once, as a sync that loads while it reads does its work. */
        public double overlappedRatio() {
            return fullSync / overlappedFloor;
        }
    }

    /** The ClassLink first full sync of one size; times in seconds. */
    public record ClassLinkResult(int students, long records, double fetchFloor, double fullSync, String fullStatus,
            long peakHeapMb, long heapAfterGcMb, long peakRssMb, Map<String, Double> fullPhases) {

        public double ratio() {
            return fullSync / fetchFloor;
        }
    }

    private BenchmarkRun() {
    }

    /**
     * Child process entry: {@code BenchmarkRun <students> <dir>} (Clever, every scenario) or
     * {@code BenchmarkRun classlink <students> <dir>}; prints one {@code RESULT {json}} line.
     */
    public static void main(String[] args) throws Exception {
        HeapAfterGc.watch();
        Object r = args[0].equals("classlink") ? runClassLink(Integer.parseInt(args[1]), Path.of(args[2]))
                : run(Integer.parseInt(args[0]), Path.of(args[1]));
        System.out.println("RESULT " + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(r));
        System.exit(0);
    }

    /** A fresh store with the connector's schools mapped to sites, and the engine over a timed view of it. */
    private static final class Rig implements AutoCloseable {
        final DerbyPatronStore store;
        final Phases phases = new Phases();
        final SyncEngine engine;
        final RosterConnector connector;
        final RunSettings settings = RunSettings.defaults();
        final String integration;

        Rig(Path dir, RosterConnector connector) throws Exception {
            store = DerbyPatronStore.open(dir.resolve("data"), Integer.getInteger("bench.pageCache", 4000));
            int i = 0;
            for (RosterSchool s : connector.schools()) {
                store.saveSite(new Site("S" + (++i), s.name(), s.id()));
            }
            Object timed = phases.store(store);
            engine = new SyncEngine((PatronStore) timed, (OperationStore) timed, dir.resolve("data/operations"));
            this.connector = phases.connector(connector);
            integration = connector.provider() + ":" + connector.account();
        }

        Operation run(OperationKind kind) {
            Operation op = store.createOperation(integration, kind, Trigger.MANUAL, false, Set.of(), 0);
            return engine.run(op, connector, settings, () -> false);
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /** Reads the whole roster without processing it: the fetch floor. Returns {records, nanoseconds}. */
    private static long[] fetchOnly(RosterConnector connector) throws Exception {
        long t0 = System.nanoTime();
        long[] records = {0};
        connector.fetch(new FetchRequest(FetchKind.FULL, EnumSet.allOf(PatronType.class), null), new RosterSink() {
            @Override
            public void accept(RosterRecord record) {
                records[0]++;
            }
        });
        return new long[] {records[0], System.nanoTime() - t0};
    }

    public static Result run(int students, Path dir) throws Exception {
        Files.createDirectories(dir);
        try (EmulatorProcess clever = EmulatorProcess.clever(students)) {
            CleverConnector connector = connector(clever);
            long[] fetched = fetchOnly(connector);
            double fetchFloor = fetched[1] / 1e9;
            double insertFloor = insertFloor(dir.resolve("floor"), fetched[0]);
            double overlappedFloor = overlappedFloor(connector, dir.resolve("floor-overlapped"), fetched[0]);

            try (Rig rig = new Rig(dir, connector)) {
                resetPeaks();
                long t0 = System.nanoTime();
                Operation full = rig.run(OperationKind.FULL);
                double fullSync = seconds(t0);
                Map<String, Double> fullPhases = rig.phases.take(fullSync);

                t0 = System.nanoTime();
                Operation resync = rig.run(OperationKind.FULL);
                double resyncTime = seconds(t0);
                Map<String, Double> resyncPhases = rig.phases.take(resyncTime);
                long resyncWrites = writes(rig.store.operation(resync.id()).orElseThrow().counts());

                long changes = clever.mutate(Math.max(10, students / 100));
                t0 = System.nanoTime();
                Operation inc = rig.run(OperationKind.INCREMENTAL);
                double incremental = seconds(t0);

                return new Result(students, fetched[0], fetchFloor, insertFloor, overlappedFloor, fullSync, status(full),
                        resyncTime,
                        resyncWrites, incremental, changes, status(inc), peakHeapMb(), HeapAfterGc.peakMb(), peakRssMb(),
                        fullPhases, resyncPhases);
            }
        }
    }

    /** The first full sync of a OneRoster tenant through the ClassLink connector (its default page size). */
    public static ClassLinkResult runClassLink(int students, Path dir) throws Exception {
        Files.createDirectories(dir);
        try (EmulatorProcess roster = EmulatorProcess.oneRoster(students)) {
            ClassLinkConnector connector = new ClassLinkConnector(ConfigProxy.of(ClassLinkConfiguration.class, Map.of(
                    "tenantId", roster.get("tenantId"), "rosterServerUrl", roster.get("baseUrl"),
                    "consumerKey", roster.get("consumerKey"), "consumerSecret", roster.get("consumerSecret"))));
            long[] fetched = fetchOnly(connector);
            try (Rig rig = new Rig(dir, connector)) {
                resetPeaks();
                long t0 = System.nanoTime();
                Operation full = rig.run(OperationKind.FULL);
                double fullSync = seconds(t0);
                return new ClassLinkResult(students, fetched[0], fetched[1] / 1e9, fullSync, status(full), peakHeapMb(),
                        HeapAfterGc.peakMb(), peakRssMb(), rig.phases.take(fullSync));
            }
        }
    }

    private static String status(Operation op) {
        return op.status() == OperationStatus.COMPLETED ? "completed" : op.status() + ": " + op.message();
    }

    private static long writes(List<Count> counts) {
        return counts.stream().filter(c -> c.outcome() == Outcome.CREATED || c.outcome() == Outcome.UPDATED)
                .mapToLong(Count::records).sum();
    }

    /**
     * The fastest way Derby offers to load rows: its bulk import procedure, from a CSV file, into a fresh
     * database with the same patron table (schema, constraints and indexes) the store uses.
     */
    static double insertFloor(Path dir, long rows) throws Exception {
        Path csv = floorRows(dir, rows);
        long t0 = System.nanoTime();
        importRows(dir, csv);
        return seconds(t0);
    }

    /**
     * Both floors at once, the fetch on this thread and the import on another: what a sync that loads while
     * it reads could at best do on this machine (the two compete for the same cores). Wall seconds.
     */
    static double overlappedFloor(RosterConnector connector, Path dir, long rows) throws Exception {
        Path csv = floorRows(dir, rows);
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            long t0 = System.nanoTime();
            java.util.concurrent.Future<?> imported = other.submit(() -> {
                importRows(dir, csv);
                return null;
            });
            fetchOnly(connector);
            imported.get();
            return seconds(t0);
        } finally {
            other.shutdown();
        }
    }

    /** A fresh store's schema in {@code dir}, and a CSV file of as many patron rows. */
    private static Path floorRows(Path dir, long rows) throws Exception {
        DerbyPatronStore.open(dir, 4000).close(); // creates the schema
        Path csv = dir.resolve("patrons.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            for (long i = 1; i <= rows; i++) {
                w.write(i + ",student,First" + i + ",Last" + i + ",student" + i + "@district.example," + String.format("%024x", i)
                        + ",clever:floor,S1,1,2026-01-01 00:00:00,2026-01-01 00:00:00\n");
            }
        }
        return csv;
    }

    /** Derby's bulk import of the CSV into the store's patron table; shuts the engine down after. */
    private static void importRows(Path dir, Path csv) throws SQLException {
        EmbeddedDriver driver = new EmbeddedDriver();
        try (Connection c = driver.connect("jdbc:derby:" + dir.resolve("patrons"), new Properties())) {
            try (PreparedStatement p = c.prepareStatement("CALL SYSCS_UTIL.SYSCS_IMPORT_DATA(NULL, 'PATRON', "
                    + "'ID,PATRON_TYPE,FIRST_NAME,LAST_NAME,EMAIL,GUID,INTEGRATION,SITE,STATUS,CREATED_AT,UPDATED_AT', "
                    + "NULL, ?, ',', NULL, 'UTF-8', 0)")) {
                p.setString(1, csv.toString());
                p.execute();
            }
        } finally {
            try {
                driver.connect("jdbc:derby:;shutdown=true", new Properties());
            } catch (SQLException expected) {
                // engine shut down
            }
        }
    }

    static CleverConnector connector(EmulatorProcess clever) {
        return new CleverConnector(ConfigProxy.of(CleverConfiguration.class, Map.of("district", clever.get("district"),
                "clientId", clever.get("clientId"), "clientSecret", clever.get("clientSecret"), "apiUrl", clever.get("baseUrl"),
                "oauthUrl", clever.get("baseUrl"), "pageSize", 10_000)));
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void resetPeaks() {
        HeapAfterGc.reset();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }

    /** VmHWM: the peak resident set of this process (Linux); -1 elsewhere. */
    private static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }
}
