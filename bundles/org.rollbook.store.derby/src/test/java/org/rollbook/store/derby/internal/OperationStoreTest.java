package org.rollbook.store.derby.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.derby.jdbc.EmbeddedDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.store.BatchResult;
import org.rollbook.api.store.PatronBatch;
import org.rollbook.api.store.PatronKeys;
import org.rollbook.api.store.PatronWrite;
import org.rollbook.api.store.ResultPage;
import org.rollbook.api.store.StoreException;
import org.rollbook.api.sync.Count;
import org.rollbook.api.sync.FieldChange;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.LogQuery;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.Outcome;
import org.rollbook.api.sync.Situation;
import org.rollbook.api.sync.Trigger;

class OperationStoreTest {

    static final String CLEVER = "clever:district-1";
    static final String CLASSLINK = "classlink:tenant-9";

    @TempDir
    Path dir;

    DerbyPatronStore store;

    @BeforeEach
    void open() {
        store = new DerbyPatronStore(dir.resolve("data"), 1000);
    }

    @AfterEach
    void close() {
        store.close();
    }

    Operation newRun(String integration, boolean preview) {
        return store.createOperation(integration, OperationKind.FULL, Trigger.MANUAL, preview,
                Set.of(PatronType.STUDENT, PatronType.TEACHER), 0);
    }

    static LogEntry line(Situation situation, Outcome outcome, PatronType type, String site, String sourceId) {
        return new LogEntry(0, situation, outcome, type, site, sourceId, 0, null, null, null, null, null);
    }

    static LogEntry touched(Outcome outcome, long patronId) {
        return new LogEntry(0, Situation.LINKED, outcome, PatronType.STUDENT, "MAIN", "g" + patronId, patronId, "guid",
                null, null, null, null);
    }

    static PatronWrite newStudent(String guid, String barcode) {
        Map<PatronField, String> v = new EnumMap<>(PatronField.class);
        v.put(PatronField.GUID, guid);
        v.put(PatronField.LAST_NAME, "Last " + guid);
        if (barcode != null) {
            v.put(PatronField.BARCODE, barcode);
        }
        return PatronWrite.create(PatronType.STUDENT, "Student", CLEVER, v)
                .withLog(line(Situation.UNMATCHED, Outcome.CREATED, PatronType.STUDENT, "MAIN", guid));
    }

    static Count count(Situation situation, Outcome outcome, String site, long records) {
        return new Count(situation, outcome, PatronType.STUDENT, site, records);
    }

    List<LogEntry> allLines(long operationId) {
        List<LogEntry> out = new ArrayList<>();
        store.forEachLog(operationId, LogQuery.all(0, 1), out::add);
        return out;
    }

    // ---------------------------------------------------------------- operations

    @Test
    void anOperationIsQueuedThenRunsThenCompletes() {
        Operation queued = newRun(CLEVER, false);
        assertTrue(queued.id() > 0);
        assertEquals(OperationStatus.QUEUED, queued.status());
        assertEquals(Set.of(PatronType.STUDENT, PatronType.TEACHER), queued.types());
        assertNotNull(queued.created());
        assertNull(queued.started());
        assertNull(queued.finished());
        assertTrue(newRun(CLEVER, true).id() > queued.id(), "ids increase");

        Operation running = store.updateOperation(queued.id(), OperationStatus.RUNNING, "fetching");
        assertNotNull(running.started());
        assertNull(running.finished());
        assertEquals("fetching", running.message());
        Operation again = store.updateOperation(queued.id(), OperationStatus.RUNNING, null);
        assertEquals(running.started(), again.started(), "started is set once");
        assertEquals("fetching", again.message(), "a null message keeps the old one");

        store.updateProgress(queued.id(), 40, 100);
        Operation done = store.updateOperation(queued.id(), OperationStatus.COMPLETED, "all done");
        assertNotNull(done.finished());
        assertFalse(done.finished().isBefore(done.started()));
        assertEquals(40, done.processed());
        assertEquals(100, done.expected());
        assertEquals(done, store.operation(queued.id()).orElseThrow());
        assertTrue(store.operation(9999).isEmpty());
        StoreException e = assertThrows(StoreException.class,
                () -> store.updateOperation(9999, OperationStatus.RUNNING, null));
        assertEquals("operation 9999 does not exist", e.getMessage());
    }

    @Test
    void operationsAreListedNewestFirstWithTheirCounts() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long id = newRun(CLEVER, false).id();
            store.setCounts(id, List.of(count(Situation.LINKED, Outcome.UPDATED, "S" + i, i + 1)));
            ids.add(id);
        }
        List<Operation> first = store.operations(0, 2);
        assertEquals(List.of(ids.get(4), ids.get(3)), first.stream().map(Operation::id).toList());
        assertEquals(List.of(count(Situation.LINKED, Outcome.UPDATED, "S4", 5)), first.get(0).counts());
        List<Operation> rest = store.operations(2, 10);
        assertEquals(List.of(ids.get(2), ids.get(1), ids.get(0)), rest.stream().map(Operation::id).toList());
        assertEquals(List.of(count(Situation.LINKED, Outcome.UPDATED, "S0", 1)), rest.get(2).counts());
    }

    @Test
    void setCountsReplacesAndSumsDuplicateKeys() {
        long op = newRun(CLEVER, true).id();
        store.setCounts(op, List.of(count(Situation.LINKED, Outcome.UPDATED, "A", 3)));
        store.setCounts(op, List.of(count(Situation.UNMATCHED, Outcome.NONE, null, 2),
                count(Situation.UNMATCHED, Outcome.NONE, null, 5), new Count(Situation.SKIPPED, Outcome.NONE, null,
                        null, 1)));
        assertEquals(List.of(new Count(Situation.SKIPPED, Outcome.NONE, null, null, 1),
                count(Situation.UNMATCHED, Outcome.NONE, null, 7)), store.operation(op).orElseThrow().counts());
        assertThrows(StoreException.class, () -> store.setCounts(4242, List.of()));
    }

    @Test
    void latestAppliedIsTheNewestCompletedRunThatWasNoPreview() {
        assertTrue(store.latestApplied(CLEVER).isEmpty());
        long applied = newRun(CLEVER, false).id();
        store.updateOperation(applied, OperationStatus.COMPLETED, null);
        long preview = newRun(CLEVER, true).id();
        store.updateOperation(preview, OperationStatus.COMPLETED, null);
        long failed = newRun(CLEVER, false).id();
        store.updateOperation(failed, OperationStatus.FAILED, "the provider refused the token");
        newRun(CLEVER, false); // queued
        long other = newRun(CLASSLINK, false).id();
        store.updateOperation(other, OperationStatus.COMPLETED, null);

        assertEquals(applied, store.latestApplied(CLEVER).orElseThrow().id());
        assertEquals(other, store.latestApplied(CLASSLINK).orElseThrow().id());
    }

    // ---------------------------------------------------------------- batches

    @Test
    void aBatchCommitsWritesLogCountsStateAndProgressTogether() {
        long op = newRun(CLEVER, false).id();
        LogEntry dispute = new LogEntry(0, Situation.DISPUTED, Outcome.NONE, PatronType.STUDENT, "MAIN", "g9", 0,
                "email", null, List.of(11L, 12L), "two patrons have this email", null);
        BatchResult first = store.write(new PatronBatch(op, List.of(newStudent("g1", null), newStudent("g2", null)),
                List.of(dispute), List.of(count(Situation.UNMATCHED, Outcome.CREATED, "MAIN", 2),
                        count(Situation.DISPUTED, Outcome.NONE, "MAIN", 1)),
                CLEVER, Map.of("cursor", "c1", "phase", "students"), 3));

        List<LogEntry> lines = allLines(op);
        assertEquals(List.of(1L, 2L, 3L), lines.stream().map(LogEntry::seq).toList());
        assertEquals(first.patronIds(), List.of(lines.get(0).patronId(), lines.get(1).patronId()),
                "created patrons' ids are filled into their log lines");
        assertEquals(Outcome.CREATED, lines.get(0).outcome());
        assertEquals(dispute.withSeq(3), lines.get(2));
        assertEquals("c1", store.state(CLEVER, "cursor").orElseThrow());
        assertEquals(3, store.operation(op).orElseThrow().processed());

        long g1 = first.patronIds().get(0);
        Map<PatronField, String> level = Map.of(PatronField.LEVEL, "05");
        LogEntry updated = new LogEntry(0, Situation.LINKED, Outcome.UPDATED, PatronType.STUDENT, "MAIN", "g1", g1,
                "guid", null, null, null, List.of(new FieldChange(PatronField.LEVEL, null, "05")));
        Map<String, String> state = new HashMap<>();
        state.put("cursor", "c2");
        state.put("phase", null);
        store.write(new PatronBatch(op, List.of(PatronWrite.update(g1, CLEVER, level).withLog(updated)), List.of(),
                List.of(count(Situation.UNMATCHED, Outcome.CREATED, "MAIN", 1),
                        count(Situation.LINKED, Outcome.UPDATED, "MAIN", 1),
                        count(Situation.LINKED, Outcome.UPDATED, "MAIN", 1)),
                CLEVER, state, 5));

        assertEquals(updated.withSeq(4), allLines(op).get(3));
        assertEquals(List.of(count(Situation.DISPUTED, Outcome.NONE, "MAIN", 1),
                count(Situation.LINKED, Outcome.UPDATED, "MAIN", 2), count(Situation.UNMATCHED, Outcome.CREATED, "MAIN", 3)),
                store.operation(op).orElseThrow().counts());
        assertEquals("c2", store.state(CLEVER, "cursor").orElseThrow());
        assertTrue(store.state(CLEVER, "phase").isEmpty(), "a null value removes the key");
        assertEquals(5, store.operation(op).orElseThrow().processed());
        assertEquals("05", store.patron(g1).orElseThrow().get(PatronField.LEVEL));
    }

    @Test
    void aFailingBatchKeepsNoPatronsLogCountsStateOrProgress() {
        long op = newRun(CLEVER, false).id();
        store.write(new PatronBatch(0, List.of(PatronWrite.create(PatronType.TEACHER, null, null,
                Map.of(PatronField.BARCODE, "B-1", PatronField.LAST_NAME, "Owner")))));
        PatronBatch clash = new PatronBatch(op, List.of(newStudent("g1", "B-7"), newStudent("g2", "B-1")),
                List.of(line(Situation.SKIPPED, Outcome.NONE, PatronType.STUDENT, null, "g3")),
                List.of(count(Situation.UNMATCHED, Outcome.CREATED, "MAIN", 2)), CLEVER, Map.of("cursor", "c1"), 3);

        StoreException e = assertThrows(StoreException.class, () -> store.write(clash));
        assertTrue(e.getMessage().startsWith("new student g2: the barcode already belongs to another patron"),
                e.getMessage());
        assertEquals(1, store.status().patrons());
        assertEquals(0, store.log(op, LogQuery.all(0, 10)).total());
        Operation after = store.operation(op).orElseThrow();
        assertEquals(List.of(), after.counts());
        assertEquals(0, after.processed());
        assertTrue(store.state(CLEVER, "cursor").isEmpty());

        store.write(new PatronBatch(op, List.of(newStudent("g1", "B-7")), List.of(), List.of(), null, null, 1));
        assertEquals(List.of(1L), allLines(op).stream().map(LogEntry::seq).toList(),
                "a rolled-back batch gives its seq numbers back");
    }

    @Test
    void bookkeepingForAnUnknownOperationIsRefused() {
        StoreException e = assertThrows(StoreException.class, () -> store.write(new PatronBatch(777,
                List.of(newStudent("g1", null)))));
        assertEquals("operation 777 does not exist", e.getMessage());
        assertEquals(0, store.status().patrons());
        assertThrows(StoreException.class, () -> store.appendLog(777,
                List.of(line(Situation.SKIPPED, Outcome.NONE, null, null, null))));
        StoreException noSituation = assertThrows(StoreException.class, () -> store.appendLog(newRun(CLEVER, false).id(),
                List.of(line(null, Outcome.NONE, null, null, "g5"))));
        assertTrue(noSituation.getMessage().startsWith("a log line needs a situation"), noSituation.getMessage());
    }

    @Test
    void aBatchWithOnlyBookkeepingCommitsIt() {
        long op = newRun(CLEVER, false).id();
        BatchResult r = store.write(new PatronBatch(op, List.of(),
                List.of(line(Situation.SKIPPED, Outcome.NONE, PatronType.STUDENT, null, "g1")),
                List.of(count(Situation.SKIPPED, Outcome.NONE, null, 1)), CLEVER, Map.of("cursor", "x"), 1));
        assertEquals(List.of(), r.patronIds());
        assertEquals(1, store.log(op, LogQuery.all(0, 10)).total());
        assertEquals("x", store.state(CLEVER, "cursor").orElseThrow());
    }

    // ---------------------------------------------------------------- log

    @Test
    void theLogFiltersAndPages() {
        long op = newRun(CLEVER, false).id();
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Situation s = i % 3 == 0 ? Situation.DISPUTED : Situation.LINKED;
            Outcome o = s == Situation.DISPUTED ? Outcome.NONE : i % 2 == 0 ? Outcome.UPDATED : Outcome.UNCHANGED;
            PatronType t = i < 20 ? PatronType.STUDENT : PatronType.TEACHER;
            entries.add(line(s, o, t, i < 10 ? "EAST" : "WEST", "g" + i));
        }
        store.appendLog(op, entries);

        ResultPage<LogEntry> disputes = store.log(op, new LogQuery(Situation.DISPUTED, null, null, null, 0, 4));
        assertEquals(10, disputes.total());
        assertEquals(List.of("g0", "g3", "g6", "g9"), disputes.items().stream().map(LogEntry::sourceId).toList());
        ResultPage<LogEntry> next = store.log(op, new LogQuery(Situation.DISPUTED, null, null, null, 8, 4));
        assertEquals(List.of("g24", "g27"), next.items().stream().map(LogEntry::sourceId).toList());
        assertEquals(8, next.offset());

        assertEquals(10, store.log(op, new LogQuery(null, Outcome.UPDATED, null, null, 0, 100)).total());
        assertEquals(10, store.log(op, new LogQuery(null, null, PatronType.TEACHER, null, 0, 100)).total());
        assertEquals(20, store.log(op, new LogQuery(null, null, null, " WEST ", 0, 100)).total());
        ResultPage<LogEntry> combined = store.log(op,
                new LogQuery(Situation.LINKED, Outcome.UNCHANGED, PatronType.STUDENT, "WEST", 0, 100));
        assertEquals(List.of("g11", "g13", "g17", "g19"), combined.items().stream().map(LogEntry::sourceId).toList());
        assertEquals(30, store.log(op, LogQuery.all(0, 5)).total());
        assertEquals(0, store.log(op + 1, LogQuery.all(0, 5)).total());
    }

    @Test
    void forEachLogStreamsEveryMatchingLineInSeqOrder() {
        long op = newRun(CLEVER, false).id();
        for (int b = 0; b < 5; b++) {
            List<LogEntry> entries = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                entries.add(line(i % 10 == 0 ? Situation.SKIPPED : Situation.LINKED, Outcome.NONE, PatronType.STUDENT,
                        null, b + "-" + i));
            }
            store.appendLog(op, entries);
        }
        List<LogEntry> all = allLines(op);
        assertEquals(2500, all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1, all.get(i).seq());
        }
        List<LogEntry> skipped = new ArrayList<>();
        store.forEachLog(op, new LogQuery(Situation.SKIPPED, null, null, null, 40, 1), skipped::add);
        assertEquals(250, skipped.size(), "offset and limit are ignored");
        assertEquals("0-0", skipped.get(0).sourceId());
        assertEquals("4-490", skipped.get(249).sourceId());
    }

    @Test
    void everyFieldOfALogLineRoundTrips() {
        long op = newRun(CLEVER, false).id();
        String tricky = "O'Brien, \"Jr.\"\nline two\ttab \\ back\u0001\u001e\u001f ünïcödé 名前 🙂 [1,\"x\"] null";
        LogEntry full = new LogEntry(0, Situation.DISPUTED, Outcome.FAILED, PatronType.DISTRICT_ADMIN, "Ñorth, \"A\"",
                tricky, 42, "communityId", List.of("barcode", tricky, ""), List.of(7L, Long.MAX_VALUE, 1L), tricky,
                List.of(new FieldChange(PatronField.EMAIL, null, "a@b.org"),
                        new FieldChange(PatronField.LAST_NAME, tricky, null),
                        new FieldChange(PatronField.MIDDLE_NAME, null, null),
                        new FieldChange(PatronField.ADDRESS, "", "  "),
                        new FieldChange(null, "no field", "x")));
        LogEntry bare = new LogEntry(0, Situation.ABSENT, Outcome.UPDATED, null, null, null, 0, null, null, null, null,
                null);
        String huge = "\"quoted\" and long ".repeat(1000);
        LogEntry longChanges = new LogEntry(0, Situation.LINKED, Outcome.UPDATED, PatronType.STUDENT, null, "g1", 1,
                "guid", null, null, null, List.of(new FieldChange(PatronField.ADDITIONAL_CONTACT, huge, huge + "!")));
        assertTrue(LogCodec.changes(longChanges.changes()).length() > LogLines.CHANGES_LENGTH);
        store.appendLog(op, List.of(full, bare, longChanges));

        List<LogEntry> back = store.log(op, LogQuery.all(0, 10)).items();
        assertEquals(full.withSeq(1), back.get(0));
        assertEquals(bare.withSeq(2), back.get(1));
        assertEquals(longChanges.withSeq(3), back.get(2));
        List<LogEntry> streamed = allLines(op);
        assertEquals(back, streamed);
    }

    @Test
    void overlongTextIsCutWithAnEllipsis() {
        long op = newRun(CLEVER, false).id();
        String reason = "r".repeat(5000);
        store.appendLog(op, List.of(new LogEntry(0, Situation.SKIPPED, Outcome.NONE, null, null, null, 0, null, null,
                null, reason, null)));
        String stored = store.log(op, LogQuery.all(0, 1)).items().get(0).reason();
        assertEquals(LogLines.REASON_LENGTH, stored.length());
        assertTrue(stored.endsWith("r…"));
        Operation o = store.updateOperation(op, OperationStatus.FAILED, "m".repeat(5000));
        assertEquals(OperationRows.MESSAGE_LENGTH, o.message().length());
    }

    @Test
    void touchedLaterCountsLaterAppliedRunsOnly() {
        long earlier = newRun(CLEVER, false).id();
        long op = newRun(CLEVER, false).id();
        store.appendLog(earlier, List.of(touched(Outcome.UPDATED, 1)));
        store.appendLog(op, List.of(touched(Outcome.CREATED, 1), touched(Outcome.UPDATED, 2),
                touched(Outcome.UPDATED, 3), touched(Outcome.UNCHANGED, 4), touched(Outcome.UPDATED, 5)));
        assertEquals(List.of(), store.touchedLater(op, 10), "an earlier run does not count");

        long preview = newRun(CLEVER, true).id();
        store.appendLog(preview, List.of(touched(Outcome.UPDATED, 2), touched(Outcome.CREATED, 3)));
        assertEquals(List.of(), store.touchedLater(op, 10), "a later preview does not count");

        long later = newRun(CLEVER, false).id();
        store.appendLog(later, List.of(touched(Outcome.UPDATED, 3), touched(Outcome.UNCHANGED, 5),
                touched(Outcome.UPDATED, 4), touched(Outcome.UPDATED, 1), touched(Outcome.UPDATED, 3)));
        assertEquals(List.of(1L, 3L), store.touchedLater(op, 10),
                "only patrons both runs created or updated, each once, in id order");
        assertEquals(List.of(1L), store.touchedLater(op, 1));
        assertEquals(List.of(), store.touchedLater(later, 10));
    }

    // ---------------------------------------------------------------- state, restart, purge

    @Test
    void stateIsKeptPerIntegration() {
        store.setState(CLEVER, "cursor", "abc");
        store.setState(CLEVER, "token-expiry", "2030-01-01");
        store.setState(CLASSLINK, "cursor", "zzz");
        store.setState(CLEVER, "cursor", "def");
        assertEquals("def", store.state(CLEVER, "cursor").orElseThrow());
        store.setState(CLEVER, "token-expiry", null);
        assertTrue(store.state(CLEVER, "token-expiry").isEmpty());
        store.clearState(CLEVER);
        assertTrue(store.state(CLEVER, "cursor").isEmpty());
        assertEquals("zzz", store.state(CLASSLINK, "cursor").orElseThrow());
        assertThrows(StoreException.class, () -> store.setState(CLEVER, " ", "x"));
    }

    @Test
    void interruptUnfinishedEndsRunningAndQueuedRunsButKeepsHeldOnes() {
        long running = newRun(CLEVER, false).id();
        store.updateOperation(running, OperationStatus.RUNNING, "fetching students");
        long queued = newRun(CLEVER, false).id();
        long held = newRun(CLEVER, false).id();
        store.updateOperation(held, OperationStatus.HELD, "would transfer 40% of patrons");
        long completed = newRun(CLEVER, false).id();
        Operation done = store.updateOperation(completed, OperationStatus.COMPLETED, null);

        assertEquals(2, store.interruptUnfinished());

        Operation r = store.operation(running).orElseThrow();
        assertEquals(OperationStatus.INTERRUPTED, r.status());
        assertEquals("the server stopped while this ran", r.message());
        assertNotNull(r.finished());
        Operation q = store.operation(queued).orElseThrow();
        assertEquals(OperationStatus.CANCELLED, q.status());
        assertNotNull(q.finished());
        assertEquals(OperationStatus.HELD, store.operation(held).orElseThrow().status());
        assertEquals(done, store.operation(completed).orElseThrow());
        assertEquals(0, store.interruptUnfinished());
    }

    @Test
    void purgeDeletesFinishedRunsWithTheirLogsAndCounts() throws Exception {
        long old = newRun(CLEVER, false).id();
        store.appendLog(old, List.of(line(Situation.SKIPPED, Outcome.NONE, null, null, "g1")));
        store.setCounts(old, List.of(count(Situation.SKIPPED, Outcome.NONE, null, 1)));
        store.updateOperation(old, OperationStatus.COMPLETED, null);
        long held = newRun(CLEVER, false).id();
        store.updateOperation(held, OperationStatus.HELD, null);
        long running = newRun(CLEVER, false).id();
        store.updateOperation(running, OperationStatus.RUNNING, null);
        store.appendLog(running, List.of(line(Situation.SKIPPED, Outcome.NONE, null, null, "g2")));

        assertEquals(0, store.purgeFinishedBefore(Instant.now().minusSeconds(3600)));
        Thread.sleep(5);
        assertEquals(1, store.purgeFinishedBefore(Instant.now()));

        assertTrue(store.operation(old).isEmpty());
        assertEquals(0, store.log(old, LogQuery.all(0, 10)).total());
        assertTrue(store.operation(held).isPresent());
        assertEquals(1, store.log(running, LogQuery.all(0, 10)).total());
        assertEquals(List.of(held, running), store.operations(0, 10).stream().map(Operation::id).sorted().toList());
        assertTrue(newRun(CLEVER, false).id() > running, "ids are not reused after a purge");
    }

    @Test
    void reopeningKeepsOperationsLogsAndSeqCounters() {
        Operation op = newRun(CLEVER, false);
        store.updateOperation(op.id(), OperationStatus.RUNNING, null);
        store.appendLog(op.id(), List.of(line(Situation.SKIPPED, Outcome.NONE, null, null, "a"),
                line(Situation.SKIPPED, Outcome.NONE, null, null, "b"), line(Situation.SKIPPED, Outcome.NONE, null, null,
                        "c")));
        store.setCounts(op.id(), List.of(count(Situation.SKIPPED, Outcome.NONE, null, 3)));
        store.setState(CLEVER, "cursor", "c9");
        Operation before = store.operation(op.id()).orElseThrow();
        store.close();

        store = new DerbyPatronStore(dir.resolve("data"), 1000);
        assertEquals(before, store.operation(op.id()).orElseThrow());
        store.appendLog(op.id(), List.of(line(Situation.LINKED, Outcome.UPDATED, null, null, "d")));
        assertEquals(List.of(1L, 2L, 3L, 4L), allLines(op.id()).stream().map(LogEntry::seq).toList());
        assertEquals("c9", store.state(CLEVER, "cursor").orElseThrow());
        assertTrue(newRun(CLEVER, false).id() > op.id());
    }

    @Test
    void aVersionOneDatabaseIsUpgradedWithItsPatrons() throws Exception {
        store.close();
        Path data = dir.resolve("v1");
        Files.createDirectories(data);
        EmbeddedDriver driver = new EmbeddedDriver();
        try (Connection c = driver.connect("jdbc:derby:" + data.resolve("patrons") + ";create=true", new Properties());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version (version INT NOT NULL PRIMARY KEY,"
                    + " description VARCHAR(200) NOT NULL, applied_at TIMESTAMP NOT NULL)");
            for (String sql : Database.statements(Database.MIGRATIONS.get(0))) {
                s.execute(sql);
            }
            s.execute("INSERT INTO schema_version VALUES (1, 'V1__patrons_and_sites.sql', CURRENT_TIMESTAMP)");
            s.execute("INSERT INTO patron (id, patron_type, integration, guid, last_name, created_at, updated_at)"
                    + " VALUES (5, 'student', '" + CLEVER + "', 'g5', 'Old', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        }
        try {
            driver.connect("jdbc:derby:;shutdown=true", new Properties());
        } catch (SQLException expected) {
            // engine shut down
        }

        store = new DerbyPatronStore(data, 1000);
        assertEquals(Database.SCHEMA_VERSION, store.status().schemaVersion());
        assertEquals("Old", store.patron(5).orElseThrow().get(PatronField.LAST_NAME));
        List<Long> linked = new ArrayList<>();
        store.forEachLinked(CLEVER, k -> linked.add(k.id()));
        assertEquals(List.of(5L), linked);
        long op = newRun(CLEVER, false).id();
        store.appendLog(op, List.of(line(Situation.LINKED, Outcome.UPDATED, PatronType.STUDENT, null, "g5")));
        assertEquals(1, store.log(op, LogQuery.all(0, 10)).total());
    }

    // ---------------------------------------------------------------- linked patrons

    @Test
    void forEachLinkedStreamsThatIntegrationsLinkedPatronsEachOnce() {
        List<PatronWrite> writes = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            String integration = i % 5 == 0 ? CLASSLINK : CLEVER;
            Map<PatronField, String> v = new EnumMap<>(PatronField.class);
            v.put(PatronField.LAST_NAME, "P" + i);
            if (i % 7 != 0) {
                v.put(PatronField.GUID, "g" + i);
            }
            writes.add(PatronWrite.create(PatronType.STUDENT, null, integration, v));
        }
        List<Long> ids = store.write(new PatronBatch(0, writes)).patronIds();
        long unlinked = ids.get(1);
        Map<PatronField, String> unlink = new HashMap<>();
        unlink.put(PatronField.GUID, null);
        store.write(new PatronBatch(0, List.of(PatronWrite.update(unlinked, CLEVER, unlink))));

        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            if (i % 5 != 0 && i % 7 != 0 && ids.get(i) != unlinked) {
                expected.add(ids.get(i));
            }
        }
        List<PatronKeys> seen = new ArrayList<>();
        store.forEachLinked(CLEVER, seen::add);
        assertEquals(expected, seen.stream().map(PatronKeys::id).sorted().toList());
        assertTrue(seen.stream().allMatch(k -> CLEVER.equals(k.integration()) && k.guid() != null));
        List<PatronKeys> none = new ArrayList<>();
        store.forEachLinked("nobody", none::add);
        assertEquals(List.of(), none);
    }
}
