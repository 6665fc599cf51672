package org.rollbook.sync.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rollbook.sync.internal.engine.FakeConnector.student;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.roster.FetchReport;
import org.rollbook.api.roster.FetchRequest;
import org.rollbook.api.roster.RosterException;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterSink;
import org.rollbook.api.store.BatchSource;
import org.rollbook.api.store.PatronBatch;
import org.rollbook.api.store.PatronStore;
import org.rollbook.api.store.StoreException;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.LogQuery;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.Outcome;
import org.rollbook.api.sync.Trigger;

/**
 * The first sync of an empty store loads while the roster is read ({@link EarlyLoad}): the store takes
 * planned batches before the roster is finished, every key look-up is skipped, and a run that fails, is
 * cancelled or is refused leaves what it would have left without it.
 */
class EarlyLoadTest {

    @TempDir
    Path dir;

    EngineFixture f;
    final Map<String, Integer> calls = new ConcurrentHashMap<>();
    /** Batches the store's load took in its first pass. */
    final AtomicInteger taken = new AtomicInteger();
    /** The batch of the first pass at which the store refuses the load; 0 for none. */
    volatile int refuseAt;
    SyncEngine engine;

    @BeforeEach
    void open() {
        f = new EngineFixture(dir);
        f.settings = f.settings.withBatchSize(2);
        for (int i = 1; i <= 10; i++) {
            f.roster.add(student("s" + i, "First" + i, "Last" + i, "kid" + i + "@east.example", "school-east"));
        }
        engine = new SyncEngine(watching(f.patrons), f.operations, dir.resolve("data/operations"));
    }

    @AfterEach
    void close() {
        f.close();
    }

    /** The store, counting calls by method name and the batches its load's first pass takes. */
    PatronStore watching(PatronStore store) {
        return (PatronStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PatronStore.class}, (proxy, method, args) -> {
                    calls.merge(method.getName(), 1, Integer::sum);
                    if (method.getName().equals("load")) {
                        return store.load(counting((BatchSource) args[0]));
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    BatchSource counting(BatchSource source) {
        AtomicInteger opened = new AtomicInteger();
        return () -> {
            BatchSource.Pass pass = source.open();
            boolean first = opened.incrementAndGet() == 1;
            return new BatchSource.Pass() {
                @Override
                public boolean hasNext() {
                    return pass.hasNext();
                }

                @Override
                public PatronBatch next() {
                    PatronBatch b = pass.next();
                    if (first && taken.incrementAndGet() == refuseAt) {
                        throw new StoreException("the store refuses this batch");
                    }
                    return b;
                }

                @Override
                public void close() {
                    pass.close();
                }
            };
        };
    }

    /** The fixture's roster, calling {@code after} with the count of records delivered after each one. */
    TestConnector rosterThen(IntConsumer after) {
        return new TestConnector("district-1") {
            @Override
            public FetchReport fetch(FetchRequest request, RosterSink sink) throws RosterException {
                AtomicInteger n = new AtomicInteger();
                FetchReport report = f.roster.fetch(request, new RosterSink() {
                    @Override
                    public void accept(RosterRecord record) {
                        sink.accept(record);
                        after.accept(n.incrementAndGet());
                    }

                    @Override
                    public void expect(PatronType type, long total) {
                        sink.expect(type, total);
                    }

                    @Override
                    public boolean cancelled() {
                        return sink.cancelled();
                    }
                });
                if (failing.get()) {
                    throw new RosterException("page 2 answered 500 five times");
                }
                return report;
            }
        };
    }

    final AtomicBoolean failing = new AtomicBoolean();

    Operation full(TestConnector connector, java.util.function.BooleanSupplier cancelled) {
        Operation op = f.operations.createOperation(EngineFixture.INTEGRATION, OperationKind.FULL, Trigger.MANUAL, false,
                Set.of(), 0);
        return engine.run(op, connector, f.settings, cancelled);
    }

    @Test
    void theStoreTakesPlannedBatchesWhileTheRosterIsStillRead() {
        boolean[] takenBeforeTheEnd = {false};
        Operation op = full(rosterThen(n -> {
            if (n == 10) { // the last record: the first four batches are planned by now
                long until = System.nanoTime() + 10_000_000_000L;
                while (taken.get() == 0 && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                takenBeforeTheEnd[0] = taken.get() > 0;
            }
        }), () -> false);
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        assertTrue(takenBeforeTheEnd[0], "the load took a batch before the roster was read to the end");
        assertEquals(10, f.count());
        assertEquals(1, calls.get("load"), calls.toString());
        assertNull(calls.get("findByKeys"), "an empty store is not asked for keys: " + calls);
        assertNull(calls.get("write"), "nothing written batch by batch: " + calls);
        assertEquals(10, f.operations.log(op.id(), LogQuery.all(0, 100)).total());
        assertEquals("Last7", f.byGuid("s7").get(PatronField.LAST_NAME));
    }

    @Test
    void aRosterThatFailsWhileTheStoreLoadsLeavesNothing() {
        failing.set(true);
        Operation op = full(rosterThen(n -> {
        }), () -> false);
        assertEquals(OperationStatus.FAILED, op.status(), op.message());
        assertTrue(op.message().contains("Nothing was written"), op.message());
        assertTrue(taken.get() > 0, "the load had taken batches");
        assertEquals(0, f.count());
        assertEquals(0, f.operations.log(op.id(), LogQuery.all(0, 100)).total());

        failing.set(false);
        Operation again = full(rosterThen(n -> {
        }), () -> false);
        assertEquals(OperationStatus.COMPLETED, again.status(), again.message());
        assertEquals(10, f.count());
    }

    @Test
    void aRunCancelledWhileTheStoreLoadsLeavesNothing() {
        AtomicBoolean cancel = new AtomicBoolean();
        Operation op = full(rosterThen(n -> {
            if (n == 6) {
                cancel.set(true);
            }
        }), cancel::get);
        assertEquals(OperationStatus.CANCELLED, op.status(), op.message());
        assertEquals(0, f.count());
        assertEquals(0, f.operations.log(op.id(), LogQuery.all(0, 100)).total());
    }

    @Test
    void aLoadTheStoreRefusesIsWrittenBatchByBatch() {
        refuseAt = 2;
        Operation op = full(rosterThen(n -> {
        }), () -> false);
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        assertEquals(1, calls.get("load"), calls.toString());
        assertTrue(calls.get("write") > 0, "written batch by batch after the refusal: " + calls);
        assertEquals(10, f.count());
        List<LogEntry> lines = f.operations.log(op.id(), LogQuery.all(0, 100)).items();
        assertEquals(10, lines.size());
        assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), lines.stream().map(LogEntry::seq).toList(),
                "the refused load gave its line numbers back");
        assertTrue(lines.stream().allMatch(e -> e.outcome() == Outcome.CREATED), lines.toString());
    }
}
