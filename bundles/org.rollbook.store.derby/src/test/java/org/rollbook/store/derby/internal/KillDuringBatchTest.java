package org.rollbook.store.derby.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.store.PatronBatch;
import org.rollbook.api.store.PatronWrite;
import org.rollbook.api.sync.Count;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.LogQuery;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.Outcome;
import org.rollbook.api.sync.Situation;
import org.rollbook.api.sync.Trigger;

/** kill -9 during a batch write: on restart the store opens and holds whole batches only, bookkeeping included. */
class KillDuringBatchTest {

    static final int BATCH = 2000;

    @TempDir
    Path dir;

    @Test
    void aKilledWriterLeavesWholeBatchesOnly() throws Exception {
        Path data = dir.resolve("data");
        killDuringFourthBatch(data, "patrons");

        DerbyPatronStore store = new DerbyPatronStore(data, 1000);
        try {
            long patrons = store.status().patrons();
            assertTrue(patrons >= 3L * BATCH, "the committed batches survive: " + patrons);
            assertEquals(0, patrons % BATCH, "no half batch: " + patrons);
        } finally {
            store.close();
        }
    }

    @Test
    void aKilledRunKeepsItsPatronsLogCountsStateAndProgressInStep() throws Exception {
        Path data = dir.resolve("data");
        killDuringFourthBatch(data, "bookkeeping");

        DerbyPatronStore store = new DerbyPatronStore(data, 1000);
        try {
            long patrons = store.status().patrons();
            assertTrue(patrons >= 3L * BATCH, "the committed batches survive: " + patrons);
            assertEquals(0, patrons % BATCH, "no half batch: " + patrons);
            Operation op = store.operations(0, 1).get(0);
            assertEquals(patrons, op.processed());
            assertEquals(patrons, op.counts().stream().mapToLong(Count::records).sum());
            assertEquals(patrons, store.log(op.id(), LogQuery.all(0, 1)).total());
            assertEquals(String.valueOf(patrons / BATCH), store.state("it", "batches").orElseThrow());
            assertEquals(1, store.interruptUnfinished());
            store.appendLog(op.id(), List.of(line(-1)));
            assertEquals(patrons + 1, store.log(op.id(), LogQuery.all((int) patrons, 1)).items().get(0).seq(),
                    "seq numbers go on after a kill");
        } finally {
            store.close();
        }
    }

    private static void killDuringFourthBatch(Path data, String mode) throws Exception {
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Writer.class.getName(), data.toString(), mode)
                .redirectErrorStream(true).start();
        int committed = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; committed < 3 && (line = out.readLine()) != null;) {
                if (line.startsWith("committed ")) {
                    committed++;
                }
            }
            assertEquals(3, committed, "the writer committed batches before it was killed");
            Thread.sleep(40); // well inside the next batch
            writer.destroyForcibly(); // SIGKILL: no shutdown hook, no Derby shutdown
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        }
    }

    static LogEntry line(int i) {
        return new LogEntry(0, Situation.UNMATCHED, Outcome.CREATED, PatronType.STUDENT, "MAIN", "g" + i, 0, null,
                null, null, null, null);
    }

    /**
     * The child process: writes batches until it is killed; in mode {@code bookkeeping} as a run does,
     * with a log line per patron, counts, state and progress.
     */
    public static final class Writer {
        public static void main(String[] args) {
            DerbyPatronStore store = new DerbyPatronStore(Path.of(args[0]), 1000);
            boolean bookkeeping = args[1].equals("bookkeeping");
            long op = bookkeeping ? store.createOperation("it", OperationKind.FULL, Trigger.MANUAL, false,
                    Set.of(PatronType.STUDENT), 0).id() : 1;
            if (bookkeeping) {
                store.updateOperation(op, OperationStatus.RUNNING, null);
            }
            for (int b = 0;; b++) {
                List<PatronWrite> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    PatronWrite w = PatronWrite.create(PatronType.STUDENT, null, "it",
                            Map.of(PatronField.GUID, b + "-" + i, PatronField.LAST_NAME, "Row " + i));
                    batch.add(bookkeeping ? w.withLog(line(i)) : w);
                }
                if (bookkeeping) {
                    store.write(new PatronBatch(op, batch, List.of(),
                            List.of(new Count(Situation.UNMATCHED, Outcome.CREATED, PatronType.STUDENT, "MAIN", BATCH)),
                            "it", Map.of("batches", String.valueOf(b + 1)), (b + 1L) * BATCH));
                } else {
                    store.write(new PatronBatch(b + 1, batch));
                }
                System.out.println("committed " + (b + 1));
            }
        }
    }
}
