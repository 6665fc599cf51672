package org.rollbook.store.derby.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.rollbook.api.store.BatchSource;
import org.rollbook.api.store.PatronBatch;
import org.rollbook.api.sync.Count;
import org.rollbook.api.sync.LogEntry;

/**
 * The second pass of a load: every batch's log lines, numbered, inserted through {@code load_log_lines}
 * (one statement for the run instead of one execution a line), and its counts, progress and state summed
 * up for the caller to write once. The patron ids are those the first pass gave: the k-th create of the
 * run is {@code base + k}.
 *
 * <p>A table function cannot query, so what needs the database (that an operation exists, where its seq
 * numbers go on from) is done between statements: the rows stop at a batch of an operation not seen yet.
 *
 * <p>The pass is read, and its lines made into rows, by a thread of its own a few batches ahead of Derby's
 * insert: by then a load has nothing else to do, and the machine's other core is free. Only the seq
 * numbers are given on the inserting thread, in order.
 */
final class LoadLog {

    private final Connection c;
    private final LogLines logLines;
    private final List<LogLines.Reservation> reserved;
    private final Ahead ahead;
    private Chunk pending;
    /** The operation checked to exist, with its seq counter primed; 0 before the first. */
    private long operation;
    /** Lines whose changes need the CLOB column, with their seq: inserted by the ordinary statement. */
    private final List<Aside> aside = new ArrayList<>();
    private RuntimeException failure;

    final List<Count> counts = new ArrayList<>();
    final Map<String, String> state = new LinkedHashMap<>();
    String integration;
    long processed = -1;

    LoadLog(Connection c, LogLines logLines, List<LogLines.Reservation> reserved, BatchSource.Pass pass, long base) {
        this.c = c;
        this.logLines = logLines;
        this.reserved = reserved;
        this.ahead = new Ahead(pass, base);
    }

    /** Reads the whole pass; returns the last patron id it numbered. */
    long run() throws SQLException {
        ahead.start();
        try {
            pending = ahead.take();
            while (pending != null) {
                if (needsOperation(pending.batch())) {
                    OperationRows.requireExists(c, pending.batch().operationId());
                    logLines.prime(c, pending.batch().operationId());
                    operation = pending.batch().operationId();
                }
                long handle = PatronLoad.register(new Rows());
                try (PreparedStatement p = c.prepareStatement(LogLines.LOAD)) {
                    p.setLong(1, handle);
                    p.executeUpdate();
                } catch (SQLException | RuntimeException e) {
                    if (failure != null) {
                        throw failure; // the source's own failure, not Derby's wrapping of it
                    }
                    throw e;
                } finally {
                    PatronLoad.unregister(handle);
                }
            }
        } finally {
            ahead.stop(); // before the caller closes the pass
        }
        try (PreparedStatement p = LogLines.prepareInsert(c)) {
            for (Aside a : aside) {
                LogLines.insert(p, a.operationId(), a.line().seq(), List.of(a.line()));
            }
        }
        return ahead.lastId;
    }

    /** The operation the rows keep bookkeeping for; 0 when none did. */
    long operation() {
        return operation;
    }

    private boolean needsOperation(PatronBatch batch) {
        return DerbyPatronStore.keepsBookkeeping(batch) && batch.operationId() != operation;
    }

    private record Aside(long operationId, LogEntry line) {
    }

    /** A batch of the pass with its lines, and each line as a row of {@code load_log_lines} (seq not yet given). */
    private record Chunk(PatronBatch batch, List<LogEntry> lines, Object[][] rows) {
    }

    /** The reading thread: chunks in the pass's order, a few ahead. */
    private static final class Ahead implements Runnable {
        private static final Object END = new Object();
        private final BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(8);
        private final BatchSource.Pass pass;
        private final Thread thread;
        private volatile boolean stopped;
        /** The last patron id numbered; read once the thread has ended. */
        long lastId;

        Ahead(BatchSource.Pass pass, long base) {
            this.pass = pass;
            this.lastId = base;
            this.thread = new Thread(this, "rollbook-load-log");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        @Override
        public void run() {
            try {
                while (!stopped && pass.hasNext()) {
                    put(chunk(pass.next()));
                }
                put(END);
            } catch (RuntimeException | Error e) {
                put(e);
            }
        }

        private Chunk chunk(PatronBatch batch) {
            long[] ids = new long[batch.writes().size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = ++lastId;
            }
            List<LogEntry> lines = DerbyPatronStore.lines(batch, ids);
            Object[][] rows = new Object[lines.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = LogLines.loadRow(batch.operationId(), 0, lines.get(i));
            }
            return new Chunk(batch, lines, rows);
        }

        private void put(Object item) {
            try {
                while (!stopped && !chunks.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    // the inserting thread is busy, or has stopped taking
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }

        /** The next chunk; null at the end of the pass; throws what reading the pass threw. */
        Chunk take() {
            Object item;
            try {
                item = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the load's log lines", e);
            }
            if (item == END) {
                chunks.add(END); // the end stays the end
                return null;
            }
            if (item instanceof RuntimeException e) {
                throw e;
            }
            if (item instanceof Error e) {
                throw e;
            }
            return (Chunk) item;
        }

        /** Ends the thread and waits for it, so that nothing reads the pass after this. */
        void stop() {
            stopped = true;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The next chunk, or null at the end of the pass. */
    private Chunk read() {
        try {
            return ahead.take();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    /** The rows of the batches from {@code pending} on, up to one of an operation not seen yet. */
    private final class Rows implements Iterator<Object[]> {
        private final List<Object[]> rows = new ArrayList<>();
        private int next;

        @Override
        public boolean hasNext() {
            while (next == rows.size()) {
                if (pending == null || needsOperation(pending.batch())) {
                    return false;
                }
                rows.clear();
                next = 0;
                take(pending);
                pending = read();
            }
            return true;
        }

        @Override
        public Object[] next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return rows.get(next++);
        }

        private void take(Chunk chunk) {
            PatronBatch batch = chunk.batch();
            List<LogEntry> lines = chunk.lines();
            if (!lines.isEmpty()) {
                LogLines.Reservation r = logLines.reservePrimed(batch.operationId(), lines.size());
                reserved.add(r);
                long seq = r.first();
                for (int i = 0; i < lines.size(); i++) {
                    Object[] row = chunk.rows()[i];
                    if (row != null) {
                        LogLines.setSeq(row, seq);
                        rows.add(row);
                    } else {
                        aside.add(new Aside(batch.operationId(), lines.get(i).withSeq(seq)));
                    }
                    seq++;
                }
            }
            counts.addAll(batch.counts());
            if (!batch.state().isEmpty()) {
                integration = batch.integration();
                state.putAll(batch.state());
            }
            processed = batch.processed() >= 0 ? batch.processed() : processed;
        }
    }
}
