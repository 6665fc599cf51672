package org.rollbook.sync.internal.engine;

import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.rollbook.api.store.BatchSource;
import org.rollbook.api.store.PatronBatch;
import org.rollbook.api.store.PatronStore;

/**
 * The first sync of an empty store, loaded while the roster is still being read: the store's
 * {@link PatronStore#load load} runs on a thread of its own and takes each batch as soon as it is planned
 * (its first pass, the patrons), then reads the finished plan from the spool (its second pass, the log).
 * Reading and planning use one core, the store's insert the other, instead of one after the other.
 *
 * <p>The store opens the first pass only once it holds the patron table locked and empty
 * ({@link BatchSource}), so from then until the load ends every key look-up would find nothing and
 * would wait for the load, which waits for the plan: the run skips them ({@link RunContext#storeEmpty}),
 * and neither looks for absent patrons nor asks the safety hold (an empty store has nobody to transfer
 * and no share to compare with; a run with a count limit on creates is not loaded early).
 *
 * <p>The load is one transaction: a run that fails or is cancelled {@linkplain #abort aborts} it and
 * nothing is written. A load the store declines or refuses ends early; the run then plans with look-ups
 * again and writes batch by batch, as it would without this.
 */
final class EarlyLoad {

    /** Batches planned and not yet taken: enough to keep the store busy, few enough to keep the heap small. */
    private static final int AHEAD = 4;
    private static final Object END = new Object();
    private static final Object ABORT = new Object();

    private final PatronStore patrons;
    private final RunContext run;
    private final AtomicLong read = new AtomicLong();
    private final BlockingQueue<Object> planned = new ArrayBlockingQueue<>(AHEAD);
    private final CompletableFuture<Boolean> opened = new CompletableFuture<>();
    private final CompletableFuture<Supplier<BatchSource.Pass>> secondPass = new CompletableFuture<>();
    private final CompletableFuture<Boolean> result = new CompletableFuture<>();
    private final AtomicInteger passes = new AtomicInteger();
    private final Thread thread;

    private EarlyLoad(PatronStore patrons, RunContext run) {
        this.patrons = patrons;
        this.run = run;
        this.thread = new Thread(this::load, "rollbook-load-" + run.operationId);
        thread.setDaemon(true);
    }

    /**
     * Starts the store's load and waits until the store holds the table (the load is then early, and the
     * run's look-ups are off) or has declined or failed (null: the run goes on as without it).
     */
    static EarlyLoad start(PatronStore patrons, RunContext run) {
        EarlyLoad early = new EarlyLoad(patrons, run);
        early.thread.start();
        boolean holds;
        try {
            holds = early.opened.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            early.abort();
            return null;
        } catch (ExecutionException e) {
            holds = false;
        }
        if (!holds) {
            early.join();
            return null;
        }
        return early;
    }

    private void load() {
        try {
            boolean loaded = patrons.load(this::open);
            ended();
            result.complete(loaded);
        } catch (RuntimeException | Error e) {
            ended();
            result.completeExceptionally(e);
        }
    }

    /** The table is no longer held: the run's look-ups are on again before anyone learns the load ended. */
    private void ended() {
        run.storeEmpty = false;
        opened.complete(false);
        planned.clear(); // a planner waiting to hand over a batch goes on
    }

    private BatchSource.Pass open() {
        if (passes.incrementAndGet() == 1) {
            run.storeEmpty = true;
            opened.complete(true);
            return new QueuePass();
        }
        try {
            return secondPass.get().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the load was interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the run stopped before its plan was complete", e.getCause());
        }
    }

    /** The plan items the load has taken so far, both passes (its second pass counts them too). */
    AtomicLong read() {
        return read;
    }

    /**
     * Hands a planned batch (of {@code items} plan items) to the load; false when the load has ended
     * (declined or refused: the run writes batch by batch once its plan is complete).
     */
    boolean offer(PatronBatch batch, int items) {
        return handOver(new Planned(batch, items));
    }

    private record Planned(PatronBatch batch, int items) {
    }

    private boolean handOver(Object item) {
        try {
            while (!result.isDone()) {
                if (planned.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * The plan is complete: the load's first pass ends, its second reads the plan through {@code pass}.
     * Waits for the load; true when it committed, false when the store declined (the run writes batch by
     * batch). Throws what the store threw when it refused the data.
     */
    boolean finish(Supplier<BatchSource.Pass> pass) {
        secondPass.complete(pass);
        if (!handOver(END) && !result.isDone()) {
            abort(); // the run's thread was interrupted (a stopping service): nothing of the load is kept
        }
        return await();
    }

    /**
     * The run stops before its plan is complete: the load rolls back, and this returns once it has, even
     * when the run's thread is interrupted (a stopping service), so that no load is left holding the table.
     */
    void abort() {
        secondPass.completeExceptionally(new IllegalStateException("aborted"));
        boolean interrupted = Thread.interrupted();
        try {
            handOver(ABORT);
            join();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean await() {
        join();
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) e.getCause();
        }
    }

    private void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first pass: the batches as the run plans them. */
    private final class QueuePass implements BatchSource.Pass {
        private Object next;

        @Override
        public boolean hasNext() {
            if (next == null) {
                try {
                    next = planned.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("the load was interrupted", e);
                }
            }
            if (next == ABORT) {
                throw new IllegalStateException("the run stopped before its plan was complete");
            }
            return next != END;
        }

        @Override
        public PatronBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Planned p = (Planned) next;
            next = null;
            read.addAndGet(p.items());
            return p.batch();
        }

        @Override
        public void close() {
        }
    }
}
