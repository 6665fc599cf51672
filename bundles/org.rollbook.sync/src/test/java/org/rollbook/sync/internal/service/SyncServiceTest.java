package org.rollbook.sync.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.patron.Site;
import org.rollbook.api.roster.FetchReport;
import org.rollbook.api.roster.FetchRequest;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterSink;
import org.rollbook.api.roster.RosterState;
import org.rollbook.api.sync.LogFormat;
import org.rollbook.api.sync.LogQuery;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.SyncException;
import org.rollbook.api.sync.SyncRequest;
import org.rollbook.sync.internal.engine.RunSettings;
import org.rollbook.store.derby.internal.DerbyPatronStore;

/** The service around the engine: one run at a time, a one-deep queue, cancel, hold, undo rules, downloads. */
class SyncServiceTest {

    @TempDir
    Path dir;

    DerbyPatronStore store;
    SyncServiceImpl service;
    final Gate district = new Gate();

    /** A district of students whose fetch waits at a gate until the test opens it. */
    static final class Gate extends org.rollbook.sync.internal.engine.TestConnector {
        final CountDownLatch open = new CountDownLatch(1);
        volatile int students = 30;

        Gate() {
            super("d9");
        }





        @Override
        public FetchReport fetch(FetchRequest request, RosterSink sink) {
            try {
                open.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < students; i++) {
                if (sink.cancelled()) {
                    return FetchReport.incomplete("cancelled", null, i);
                }
                sink.accept(new RosterRecord("s" + i, PatronType.STUDENT, RosterState.ACTIVE,
                        Map.of("name.first", "Kid", "name.last", "No" + i, "roles.student.school", "sch")));
            }
            return FetchReport.complete("c1", students);
        }
    }

    static <A> A config(Class<A> type, Map<String, Object> values) {
        return org.rollbook.api.config.ConfigProxy.of(type, values);
    }

    SyncServiceImpl service(Map<String, Object> settings) throws Exception {
        SyncServiceImpl s = new SyncServiceImpl(config(SyncConfiguration.class, settings), store, store);
        Field f = SyncServiceImpl.class.getDeclaredField("connector");
        f.setAccessible(true);
        f.set(s, district);
        return s;
    }

    @BeforeEach
    void open() throws Exception {
        store = DerbyPatronStore.open(dir.resolve("data"), 1000);
        store.saveSite(new Site("MAIN", "Main", "sch"));
        service = service(Map.of());
    }

    @AfterEach
    void close() throws Exception {
        district.open.countDown();
        service.deactivate();
        store.close();
    }

    Operation await(Operation op) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            Operation now = service.operation(op.id()).orElseThrow();
            if (now.status().finished() || now.status() == OperationStatus.HELD) {
                return now;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not finished: " + service.operation(op.id()));
    }

    Operation awaitRunning(Operation op) throws InterruptedException {
        for (int i = 0; i < 600 && service.operation(op.id()).orElseThrow().status() != OperationStatus.RUNNING; i++) {
            Thread.sleep(20);
        }
        return service.operation(op.id()).orElseThrow();
    }

    @Test
    void withoutAConnectorSyncNowIsRefusedWithAReason() throws Exception {
        Field f = SyncServiceImpl.class.getDeclaredField("connector");
        f.setAccessible(true);
        f.set(service, null);
        SyncException e = assertThrows(SyncException.class, () -> service.start(SyncRequest.full(false)));
        assertTrue(e.getMessage().startsWith("no roster provider is connected"), e.getMessage());
    }

    @Test
    void aSecondSyncNowQueuesAndAThirdIsRefused() throws Exception {
        Operation first = service.start(SyncRequest.full(false));
        assertEquals(OperationStatus.RUNNING, awaitRunning(first).status());
        Operation second = service.start(SyncRequest.full(false));
        assertEquals(OperationStatus.QUEUED, second.status());
        SyncException third = assertThrows(SyncException.class, () -> service.start(SyncRequest.full(false)));
        assertTrue(third.getMessage().contains("operation " + second.id() + " is already queued"), third.getMessage());
        district.open.countDown();
        assertEquals(OperationStatus.COMPLETED, await(first).status());
        assertEquals(OperationStatus.COMPLETED, await(second).status());
        assertEquals(30, store.status().patrons());
    }

    @Test
    void aRunningSyncCanBeCancelled() throws Exception {
        Operation op = service.start(SyncRequest.full(false));
        awaitRunning(op);
        service.cancel(op.id());
        district.open.countDown();
        Operation done = await(op);
        assertEquals(OperationStatus.CANCELLED, done.status(), done.message());
        assertEquals(0, store.status().patrons());
        assertThrows(SyncException.class, () -> service.cancel(op.id()), "already finished");
    }

    @Test
    void aHeldRunBlocksNewRunsUntilApproved() throws Exception {
        service.deactivate();
        service = service(Map.of("holdCreates", "10"));
        district.open.countDown();
        Operation held = await(service.start(SyncRequest.full(false)));
        assertEquals(OperationStatus.HELD, held.status());
        assertTrue(held.message().contains("would create 30 patrons"), held.message());
        SyncException blocked = assertThrows(SyncException.class, () -> service.start(SyncRequest.full(false)));
        assertTrue(blocked.getMessage().contains("held for approval"), blocked.getMessage());
        service.approve(held.id());
        Operation applied = await(held);
        assertEquals(OperationStatus.COMPLETED, applied.status(), applied.message());
        assertEquals(30, store.status().patrons());
    }

    @Test
    void onlyTheLastAppliedRunCanBeUndone() throws Exception {
        district.open.countDown();
        Operation first = await(service.start(SyncRequest.full(false)));
        district.students = 31;
        Operation second = await(service.start(SyncRequest.full(false)));
        SyncException e = assertThrows(SyncException.class, () -> service.undo(first.id()));
        assertTrue(e.getMessage().contains("that is operation " + second.id()), e.getMessage());
        Operation undo = await(service.undo(second.id()));
        assertEquals(OperationStatus.COMPLETED, undo.status(), undo.message());
        assertEquals(second.id(), undo.undoOf());
    }

    @Test
    void theLogDownloadsAsTextAndCsv() throws Exception {
        district.open.countDown();
        Operation op = await(service.start(SyncRequest.full(false)));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        service.download(op.id(), LogQuery.all(0, 1), LogFormat.TEXT, text);
        String t = text.toString(StandardCharsets.UTF_8);
        assertTrue(t.startsWith("Rollbook operation " + op.id() + " — full for clever:d9"), t);
        assertTrue(t.contains("unmatched  created  student  site MAIN  guid s7"), t);
        assertTrue(t.contains("1006 Last name: (none) → 'No7'"), t);
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        service.download(op.id(), LogQuery.all(0, 1), LogFormat.CSV, csv);
        List<String> rows = csv.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(LogFormats.CSV_HEADER, rows.get(0));
        assertEquals(31, rows.size());
    }

    @Test
    void csvCellsAreQuotedAndDefused() {
        assertEquals("\"a,b\"", LogFormats.cell("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", LogFormats.cell("say \"hi\""));
        assertEquals("'=SUM(A1)", LogFormats.cell("=SUM(A1)"));
    }

    @Test
    void cfgFileStringsAreSplitAndBadValuesNamed() {
        Map<String, Object> c = new HashMap<>();
        c.put("types", new String[] {"student, teacher"});
        c.put("barcode", new String[] {"student=student_number;teacher=sis_id"});
        c.put("erasable", new String[] {"student=middleName,phone"});
        RunSettings s = Settings.of(config(SyncConfiguration.class, c));
        assertEquals(java.util.Set.of(PatronType.STUDENT, PatronType.TEACHER), s.types());
        assertEquals("sis_id", s.mapping().barcode().get(PatronType.TEACHER));
        assertEquals(java.util.Set.of(PatronField.MIDDLE_NAME, PatronField.PHONE), s.mapping().erasable().get(PatronType.STUDENT));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Settings.of(config(SyncConfiguration.class, Map.of("holdTransfers", "lots"))));
        assertEquals("holdTransfers: 'lots' is neither a count (500) nor a share (10%)", bad.getMessage());
    }
}
