package org.rollbook.store.derby.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollbook.api.patron.Patron;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronStatus;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.store.BatchSource;
import org.rollbook.api.store.KeyLookup;
import org.rollbook.api.store.PatronBatch;
import org.rollbook.api.store.PatronKeys;
import org.rollbook.api.store.PatronWrite;
import org.rollbook.api.store.StoreException;
import org.rollbook.api.sync.Count;
import org.rollbook.api.sync.FieldChange;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.LogQuery;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.Outcome;
import org.rollbook.api.sync.Situation;
import org.rollbook.api.sync.Trigger;

/** The bulk load of a first sync into an empty store (schema V6 {@code load_patrons}, V7 {@code load_log_lines}). */
class PatronLoadTest {

    static final String CLEVER = "clever:district-1";

    @TempDir
    Path dir;

    DerbyPatronStore store;
    long op;

    @BeforeEach
    void open() {
        store = new DerbyPatronStore(dir.resolve("data"), 1000);
        Operation o = store.createOperation(CLEVER, OperationKind.FULL, Trigger.MANUAL, false, Set.of(PatronType.STUDENT), 0);
        op = o.id();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Map<PatronField, String> every(int i) {
        Map<PatronField, String> v = new EnumMap<>(PatronField.class);
        for (PatronField f : PatronField.values()) {
            v.put(f, switch (f) {
                case BIRTHDATE -> "2012-03-0" + (1 + i % 9);
                case SEX -> "F";
                case STATUS -> "1";
                case EMAIL -> "kid" + i + "@school.example";
                case BARCODE -> "B" + i;
                case GUID -> "g" + i;
                default -> f.name().toLowerCase() + " \"" + i + "\", ok";
            });
        }
        return v;
    }

    static PatronWrite create(Map<PatronField, String> v) {
        LogEntry e = new LogEntry(0, Situation.UNMATCHED, Outcome.CREATED, PatronType.STUDENT, v.get(PatronField.SITE),
                v.get(PatronField.GUID), 0, null, List.of(), List.of(), null, List.of());
        return PatronWrite.create(PatronType.STUDENT, "Student", CLEVER, v).withRosterDigest("d-" + v.get(PatronField.GUID))
                .withLog(e);
    }

    /** Batches of {@code perBatch} creates; the last carries the state and the progress. */
    List<PatronBatch> batches(int n, int perBatch) {
        List<PatronBatch> out = new ArrayList<>();
        for (int from = 0; from < n; from += perBatch) {
            List<PatronWrite> writes = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + perBatch); i++) {
                writes.add(create(every(i)));
            }
            boolean last = from + perBatch >= n;
            LogEntry skipped = new LogEntry(0, Situation.SKIPPED, Outcome.NONE, PatronType.STUDENT, null, "x" + from, 0,
                    null, List.of(), List.of(), "no school", List.of());
            out.add(new PatronBatch(op, writes, List.of(skipped),
                    List.of(new Count(Situation.UNMATCHED, Outcome.CREATED, PatronType.STUDENT, null, writes.size())), CLEVER,
                    last ? Map.of("cursor", "c-1") : Map.of(), last ? n : -1));
        }
        return out;
    }

    static BatchSource source(List<PatronBatch> batches, int[] opened) {
        return () -> {
            opened[0]++;
            return pass(batches.iterator());
        };
    }

    static BatchSource.Pass pass(Iterator<PatronBatch> it) {
        return new BatchSource.Pass() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public PatronBatch next() {
                return it.next();
            }

            @Override
            public void close() {
            }
        };
    }

    /** The batches, calling {@code beforeEach} with the index of each before it is handed out. */
    static Iterator<PatronBatch> watched(Iterator<PatronBatch> it, java.util.function.IntConsumer beforeEach) {
        int[] index = {0};
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public PatronBatch next() {
                beforeEach.accept(index[0]++);
                return it.next();
            }
        };
    }

    @Test
    void anEmptyStoreTakesAWholeRunInOneLoad() {
        int[] opened = {0};
        assertTrue(store.load(source(batches(2500, 1000), opened)));
        assertEquals(2, opened[0], "read twice: the patrons, then the bookkeeping");
        assertEquals(2500, store.status().patrons());

        Patron p = store.patron(1).orElseThrow();
        assertEquals(every(0), p.fields(), "every field as written");
        assertEquals(PatronType.STUDENT, p.type());
        assertEquals("Student", p.policy());
        assertEquals(CLEVER, p.integration());
        assertEquals(PatronStatus.ACTIVE, p.status());
        p.fields().keySet().forEach(f -> assertEquals(op, p.provenance().get(f), f + " came from the run"));
        PatronKeys k = store.findByKeys(new KeyLookup(CLEVER).guid("g2499")).get(0);
        assertEquals(2500, k.id(), "ids in the order of the run");
        assertEquals("d-g2499", k.rosterDigest());
        assertEquals("kid2499@school.example", k.email());

        assertEquals(2503, store.log(op, LogQuery.all(0, 10)).total(), "a line per create and the skipped ones");
        LogEntry line = store.log(op, new LogQuery(Situation.UNMATCHED, null, null, null, 999, 1)).items().get(0);
        assertEquals("g999", line.sourceId());
        assertEquals(1000, line.patronId(), "each line names its patron");
        Operation after = store.operation(op).orElseThrow();
        assertEquals(2500, after.counts().stream().mapToLong(Count::records).sum());
        assertEquals(2500, after.processed());
        assertEquals("c-1", store.state(CLEVER, "cursor").orElseThrow());

        long next = store.write(new PatronBatch(0, List.of(PatronWrite.create(PatronType.TEACHER, null, null,
                Map.of(PatronField.LAST_NAME, "After"))))).patronIds().get(0);
        assertEquals(2501, next, "ids go on after the loaded ones");
    }

    @Test
    void everyLineOfALoadIsKeptWithItsSeqAndPatron() {
        LogEntry before = new LogEntry(0, Situation.SKIPPED, Outcome.NONE, null, null, "early", 0, null, List.of(),
                List.of(), "logged before the load", List.of());
        store.appendLog(op, List.of(before));
        String huge = "\"quoted\", ünïcödé 名前 ".repeat(2000);
        Map<PatronField, String> v = every(1);
        v.put(PatronField.ADDITIONAL_CONTACT, huge.substring(0, 1990));
        LogEntry bigLine = new LogEntry(0, Situation.UNMATCHED, Outcome.CREATED, PatronType.STUDENT, null, "g1", 0, null,
                List.of(), List.of(), null, List.of(new FieldChange(PatronField.ADDITIONAL_CONTACT, null, huge)));
        assertTrue(LogCodec.changes(bigLine.changes()).length() > LogLines.CHANGES_LENGTH, "needs the CLOB column");
        LogEntry disputed = new LogEntry(0, Situation.DISPUTED, Outcome.FAILED, PatronType.TEACHER, "Ñorth, \"A\"",
                "t-9", 0, "email", List.of("barcode"), List.of(7L, 8L), "two patrons share kid9@school.example",
                List.of());
        LogEntry small = create(every(0)).log();
        List<PatronBatch> batches = List.of(
                new PatronBatch(op, List.of(create(every(0))), List.of(disputed), List.of(), CLEVER, Map.of(), -1),
                new PatronBatch(op, List.of(create(v).withLog(bigLine), create(every(2))), List.of(), List.of(), CLEVER,
                        Map.of("cursor", "c-3"), 3));
        assertTrue(store.load(source(batches, new int[1])));

        List<LogEntry> lines = store.log(op, LogQuery.all(0, 10)).items();
        assertEquals(List.of(before.withSeq(1), small.withSeq(2).withPatron(1, Outcome.CREATED, null), disputed.withSeq(3),
                bigLine.withSeq(4).withPatron(2, Outcome.CREATED, null),
                create(every(2)).log().withSeq(5).withPatron(3, Outcome.CREATED, null)), lines);
        assertEquals(3, store.operation(op).orElseThrow().processed());
        assertEquals("c-3", store.state(CLEVER, "cursor").orElseThrow());
    }

    @Test
    void aSecondPassThatFailsRollsTheLoadBackWithItsOwnError() {
        List<PatronBatch> batches = batches(30, 10);
        int[] opened = {0};
        BatchSource failing = () -> {
            opened[0]++;
            return pass(watched(batches.iterator(), i -> {
                if (opened[0] == 2 && i == 1) {
                    throw new java.io.UncheckedIOException(new java.io.IOException("the plan file is damaged"));
                }
            }));
        };
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> store.load(failing));
        assertEquals("the plan file is damaged", e.getCause().getMessage());
        assertEquals(0, store.status().patrons());
        assertEquals(0, store.log(op, LogQuery.all(0, 10)).total());
        assertTrue(store.load(source(batches, new int[1])), "and the store loads afterwards");
        assertEquals(33, store.log(op, LogQuery.all(0, 100)).total());
    }

    @Test
    void theStatusDoesNotWaitForALoad() throws Exception {
        java.util.concurrent.CountDownLatch midway = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<PatronBatch> batches = batches(20, 5);
        // the first pass stops before its last batch until told to go on: the table is locked meanwhile
        BatchSource slow = () -> pass(watched(batches.iterator(), i -> {
            if (i == batches.size() - 1 && midway.getCount() > 0) {
                midway.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        java.util.concurrent.ExecutorService loader = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Boolean> loaded = loader.submit(() -> store.load(slow));
            assertTrue(midway.await(30, java.util.concurrent.TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            assertEquals(0, store.status().patrons(), "not committed yet");
            assertTrue(store.status().open());
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "the status answered while the table was locked");
            go.countDown();
            assertTrue(loaded.get(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(20, store.status().patrons());
        } finally {
            go.countDown();
            loader.shutdownNow();
        }
    }

    @Test
    void aStoreWithPatronsDeclinesAndWritesNothing() {
        store.write(new PatronBatch(0, List.of(PatronWrite.create(PatronType.TEACHER, null, null,
                Map.of(PatronField.LAST_NAME, "Librarian")))));
        int[] opened = {0};
        assertFalse(store.load(source(batches(10, 5), opened)));
        assertEquals(0, opened[0], "declined before reading");
        assertEquals(1, store.status().patrons());
        assertEquals(0, store.log(op, LogQuery.all(0, 10)).total());
    }

    @Test
    void aRunWithAnUpdateDeclinesAndWritesNothing() {
        List<PatronBatch> batches = new ArrayList<>(batches(10, 5));
        batches.add(new PatronBatch(op, List.of(PatronWrite.update(3, CLEVER, Map.of(PatronField.LAST_NAME, "X"))),
                List.of(), List.of(), CLEVER, Map.of(), 11));
        assertFalse(store.load(source(batches, new int[1])));
        assertEquals(0, store.status().patrons());
        assertEquals(0, store.log(op, LogQuery.all(0, 10)).total());
        assertTrue(store.write(batches(3, 3).get(0)).patronIds().contains(1L), "the batch path still numbers from 1");
    }

    @Test
    void dataTheStoreRefusesRollsTheWholeLoadBack() {
        List<PatronBatch> batches = new ArrayList<>(batches(10, 5));
        Map<PatronField, String> twin = every(3); // barcode B3 again
        twin.put(PatronField.GUID, "g-twin");
        batches.add(new PatronBatch(op, List.of(create(twin)), List.of(), List.of(), CLEVER, Map.of("cursor", "c-2"), 11));
        assertThrows(StoreException.class, () -> store.load(source(batches, new int[1])));
        assertEquals(0, store.status().patrons());
        assertEquals(0, store.log(op, LogQuery.all(0, 10)).total());
        assertTrue(store.state(CLEVER, "cursor").isEmpty());

        Map<PatronField, String> bad = every(0);
        bad.put(PatronField.SEX, "Q");
        assertThrows(StoreException.class, () -> store.load(source(List.of(new PatronBatch(op, List.of(create(bad)),
                List.of(), List.of(), CLEVER, Map.of(), 1)), new int[1])));
        assertTrue(store.load(source(batches(10, 5), new int[1])), "and the store loads afterwards");
        assertEquals(10, store.status().patrons());
        assertEquals(12, store.log(op, LogQuery.all(0, 100)).total(), "line numbers given back by the failed load");
        assertEquals(List.of(1L, 2L, 3L), store.log(op, LogQuery.all(0, 3)).items().stream().map(LogEntry::seq).toList());
    }
}
