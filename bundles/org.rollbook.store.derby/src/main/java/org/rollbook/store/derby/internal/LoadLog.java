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
 */
final class LoadLog {

    private final Connection c;
    private final LogLines logLines;
    private final List<LogLines.Reservation> reserved;
    private final BatchSource.Pass pass;
    private PatronBatch pending;
    private long lastId;
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
        this.pass = pass;
        this.lastId = base;
    }

    /** Reads the whole pass; returns the last patron id it numbered. */
    long run() throws SQLException {
        pending = pass.hasNext() ? pass.next() : null;
        while (pending != null) {
            if (needsOperation(pending)) {
                OperationRows.requireExists(c, pending.operationId());
                logLines.prime(c, pending.operationId());
                operation = pending.operationId();
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
        try (PreparedStatement p = LogLines.prepareInsert(c)) {
            for (Aside a : aside) {
                LogLines.insert(p, a.operationId(), a.line().seq(), List.of(a.line()));
            }
        }
        return lastId;
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

    /** The next batch of the pass, or null at its end. */
    private PatronBatch read() {
        try {
            return pass.hasNext() ? pass.next() : null;
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
                if (pending == null || needsOperation(pending)) {
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

        private void take(PatronBatch batch) {
            long[] ids = new long[batch.writes().size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = ++lastId;
            }
            List<LogEntry> lines = DerbyPatronStore.lines(batch, ids);
            if (!lines.isEmpty()) {
                LogLines.Reservation r = logLines.reservePrimed(batch.operationId(), lines.size());
                reserved.add(r);
                long seq = r.first();
                for (LogEntry e : lines) {
                    Object[] row = LogLines.loadRow(batch.operationId(), seq, e);
                    if (row != null) {
                        rows.add(row);
                    } else {
                        aside.add(new Aside(batch.operationId(), e.withSeq(seq)));
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
