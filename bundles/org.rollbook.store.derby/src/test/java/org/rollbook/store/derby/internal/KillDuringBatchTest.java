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
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.store.PatronBatch;
import org.rollbook.api.store.PatronWrite;

/** kill -9 during a batch write: on restart the store opens and holds whole batches only. */
class KillDuringBatchTest {

    static final int BATCH = 2000;

    @TempDir
    Path dir;

    @Test
    void aKilledWriterLeavesWholeBatchesOnly() throws Exception {
        Path data = dir.resolve("data");
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Writer.class.getName(), data.toString())
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

        DerbyPatronStore store = new DerbyPatronStore(data, 1000);
        try {
            long patrons = store.status().patrons();
            assertTrue(patrons >= 3L * BATCH, "the committed batches survive: " + patrons);
            assertEquals(0, patrons % BATCH, "no half batch: " + patrons);
        } finally {
            store.close();
        }
    }

    /** The child process: writes batches until it is killed. */
    public static final class Writer {
        public static void main(String[] args) {
            DerbyPatronStore store = new DerbyPatronStore(Path.of(args[0]), 1000);
            for (int b = 0;; b++) {
                List<PatronWrite> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    batch.add(PatronWrite.create(PatronType.STUDENT, null, "it",
                            Map.of(PatronField.GUID, b + "-" + i, PatronField.LAST_NAME, "Row " + i)));
                }
                store.write(new PatronBatch(b + 1, batch));
                System.out.println("committed " + (b + 1));
            }
        }
    }
}
