package org.rollbook.sync.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollbook.api.patron.Patron;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.store.PatronQuery;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationStatus;

/**
 * kill -9 in the middle of writing a sync: restart, rerun, and the store equals a clean run's. Into a store
 * that holds patrons the run writes batch by batch; into an empty one it is a single load.
 */
class CrashDuringSyncTest {

    static final int RECORDS = 12_000;
    static final int BATCH = 400;

    @TempDir
    Path dir;

    static void roster(FakeConnector c) {
        for (int i = 0; i < RECORDS; i++) {
            c.add(FakeConnector.student("g" + i, "First" + i, "Last" + i, "kid" + i + "@east.example",
                    i % 2 == 0 ? "school-east" : "school-west"));
        }
    }

    /** A store that already holds a patron (the library's own): the run writes batch by batch. */
    static void seed(EngineFixture f) {
        f.existing("Lib", "Rarian", "librarian@library.example");
    }

    /** Starts a child that syncs into {@code store} and kills it once it is writing. */
    private void killWhileWriting(Path store, boolean seeded) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), store.toString(),
                Boolean.toString(seeded)).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("writing")) {
                // wait until it writes
            }
            assertTrue(line != null, "the child reached the writing phase");
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
    }

    /** Reruns the sync on what the killed child left, and compares with a run that never crashed. */
    private void rerunEqualsACleanRun(EngineFixture after, boolean seeded) {
        roster(after.roster);
        after.settings = after.settings.withBatchSize(BATCH);
        Operation rerun = after.full();
        assertEquals(OperationStatus.COMPLETED, rerun.status(), rerun.message());
        try (EngineFixture clean = new EngineFixture(dir.resolve("clean"))) {
            if (seeded) {
                seed(clean);
            }
            roster(clean.roster);
            clean.full();
            assertEquals(snapshot(clean), snapshot(after), "the same patrons as a run that never crashed");
        }
    }

    @Test
    void aKilledRunKeepsWholeBatchesAndTheNextRunFinishesTheWork() throws Exception {
        Path crashed = dir.resolve("crashed");
        killWhileWriting(crashed, true);
        try (EngineFixture after = new EngineFixture(crashed)) {
            assertEquals(1, after.operations.interruptUnfinished());
            Operation interrupted = after.operations.operations(0, 1).get(0);
            assertEquals(OperationStatus.INTERRUPTED, interrupted.status());
            long partial = after.count() - 1;
            assertTrue(partial > 0 && partial < RECORDS, "killed mid-way: " + partial);
            assertEquals(0, partial % BATCH, "whole batches only: " + partial);
            rerunEqualsACleanRun(after, true);
        }
    }

    @Test
    void aKilledFirstLoadLeavesNothingOrEverythingAndTheNextRunFinishesTheWork() throws Exception {
        Path crashed = dir.resolve("crashed");
        killWhileWriting(crashed, false);
        try (EngineFixture after = new EngineFixture(crashed)) {
            long unfinished = after.operations.interruptUnfinished();
            long patrons = after.count();
            if (unfinished == 1) {
                assertEquals(0, patrons, "a load is one transaction: nothing of it survives a kill");
            } else {
                assertEquals(OperationStatus.COMPLETED, after.operations.operations(0, 1).get(0).status());
                assertEquals(RECORDS, patrons, "the load committed before the kill");
            }
            rerunEqualsACleanRun(after, false);
        }
    }

    static Set<String> snapshot(EngineFixture f) {
        Set<String> out = new TreeSet<>();
        for (int offset = 0;; offset += PatronQuery.MAX_LIMIT) {
            var page = f.patrons.search(PatronQuery.all(offset, PatronQuery.MAX_LIMIT));
            for (Patron p : page.items()) {
                out.add(p.get(PatronField.GUID) + "|" + p.get(PatronField.FIRST_NAME) + "|" + p.get(PatronField.LAST_NAME)
                        + "|" + p.get(PatronField.EMAIL) + "|" + p.get(PatronField.SITE) + "|" + p.status());
            }
            if (page.items().size() < PatronQuery.MAX_LIMIT) {
                return out;
            }
        }
    }

    /** The child process: a full sync that says when it starts writing, and is killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            EngineFixture f = new EngineFixture(Path.of(args[0]));
            if (Boolean.parseBoolean(args[1])) {
                seed(f);
            }
            roster(f.roster);
            f.settings = f.settings.withBatchSize(BATCH);
            Thread watcher = new Thread(() -> {
                while (true) {
                    f.operations.operations(0, 1).stream().findFirst().ifPresent(op -> {
                        // batch by batch: once two batches are in; a load: as soon as it starts
                        if (op.status() == OperationStatus.RUNNING && "writing".equals(op.message())
                                && (op.processed() >= 2 * BATCH || !Boolean.parseBoolean(args[1]))) {
                            System.out.println("writing " + op.processed());
                            System.out.flush();
                        }
                    });
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            watcher.setDaemon(true);
            watcher.start();
            f.full();
            System.out.println("finished before it could be killed");
            Thread.sleep(60_000);
        }
    }
}
