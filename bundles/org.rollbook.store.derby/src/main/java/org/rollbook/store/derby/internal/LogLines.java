package org.rollbook.store.derby.internal;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.rollbook.api.patron.PatronType;
import org.rollbook.api.store.ResultPage;
import org.rollbook.api.store.StoreException;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.LogQuery;
import org.rollbook.api.sync.Outcome;
import org.rollbook.api.sync.Situation;

/**
 * The {@code operation_log} table. Seq numbers are handed out here, per operation from 1: the counter
 * starts from the highest stored seq the first time an operation is seen after a start, and a
 * transaction that rolls back gives its numbers back when no other took later ones meanwhile.
 */
final class LogLines {

    static final int SITE_LENGTH = OperationRows.SITE_LENGTH;
    static final int SOURCE_LENGTH = 1000;
    static final int KEY_LENGTH = 100;
    static final int BLANK_KEYS_LENGTH = 1000;
    static final int CANDIDATES_LENGTH = 4000;
    static final int REASON_LENGTH = 4000;
    static final int CHANGES_LENGTH = 32000;

    private static final String COLUMNS_BUT_CLOB = "seq, situation, outcome, patron_type, site, source_id,"
            + " patron_id, match_key, blank_keys, candidates, reason, changes";

    private static final String COLUMNS = COLUMNS_BUT_CLOB + ", changes_long";

    private static final String TOUCHED = "'" + Outcome.CREATED.name() + "', '" + Outcome.UPDATED.name() + "'";

    /** Seq numbers {@code first..last} of one operation, taken by one transaction. */
    record Reservation(long operationId, long first, long last) {
    }

    /** A log filter as SQL, for {@code operation_log}. */
    private record Filter(String where, List<Object> args) {
    }

    private final ConcurrentHashMap<Long, AtomicLong> lastSeq = new ConcurrentHashMap<>();

    /** Refuses a line the table cannot hold, naming it. */
    static void check(LogEntry e) {
        if (e == null || e.situation() == null || e.outcome() == null) {
            throw new StoreException("a log line needs a situation and an outcome: " + e);
        }
    }

    Reservation reserve(Connection c, long operationId, int count) throws SQLException {
        prime(c, operationId);
        return reservePrimed(operationId, count);
    }

    /** Makes sure the operation's counter is known, so that {@link #reservePrimed} needs no query. */
    void prime(Connection c, long operationId) throws SQLException {
        if (!lastSeq.containsKey(operationId)) {
            long max = maxSeq(c, operationId);
            lastSeq.putIfAbsent(operationId, new AtomicLong(max));
        }
    }

    /** Seq numbers for an operation {@link #prime}d before (a load's table function cannot query). */
    Reservation reservePrimed(long operationId, int count) {
        AtomicLong counter = lastSeq.get(operationId);
        if (counter == null) {
            throw new IllegalStateException("the seq counter of operation " + operationId + " was not primed");
        }
        long last = counter.addAndGet(count);
        return new Reservation(operationId, last - count + 1, last);
    }

    /** Gives the numbers of a rolled-back transaction back, unless later ones were taken meanwhile. */
    void release(Reservation r) {
        AtomicLong counter = lastSeq.get(r.operationId());
        if (counter != null) {
            counter.compareAndSet(r.last(), r.first() - 1);
        }
    }

    void forget(long operationId) {
        lastSeq.remove(operationId);
    }

    /** Inserts the lines as one JDBC batch, numbered from the reservation's first seq. */
    void insert(Connection c, Reservation r, List<LogEntry> entries) throws SQLException {
        try (PreparedStatement p = prepareInsert(c)) {
            insert(p, r.operationId(), r.first(), entries);
        }
    }

    /**
     * The statement {@link #insert(PreparedStatement, long, long, List)} runs. A caller inserting many
     * batches in one transaction prepares it once: Derby does not cache plans compiled in a transaction
     * that changed the dictionary (a bulk load does), and would compile it again for every batch.
     */
    static PreparedStatement prepareInsert(Connection c) throws SQLException {
        return c.prepareStatement("INSERT INTO operation_log (operation_id, " + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    /** Inserts the lines as one JDBC batch, numbered from {@code firstSeq}. */
    static void insert(PreparedStatement p, long operationId, long firstSeq, List<LogEntry> entries)
            throws SQLException {
        long seq = firstSeq;
        for (LogEntry e : entries) {
            bind(p, operationId, seq++, e);
            p.addBatch();
        }
        try {
            p.executeBatch();
        } catch (BatchUpdateException x) {
            int failed = x.getUpdateCounts() == null ? 0 : x.getUpdateCounts().length;
            String which = failed < entries.size() ? describe(entries.get(failed)) : "a log line";
            SQLException cause = x.getNextException() != null ? x.getNextException() : x;
            throw new StoreException(which + " of operation " + operationId + " could not be saved: "
                    + cause.getMessage(), x);
        }
    }

    /** The statement that inserts the rows {@link #loadRow} made, from {@code load_log_lines(?)} (schema V7). */
    static final String LOAD = "INSERT INTO operation_log (operation_id, " + COLUMNS_BUT_CLOB + ") SELECT operation_id, "
            + COLUMNS_BUT_CLOB + " FROM TABLE(load_log_lines(?)) t";

    /**
     * A line as a row of {@code load_log_lines}, or null when its changes need the CLOB column, which the
     * table function does not carry (insert such a line with {@link #insert(PreparedStatement, long, long, List)}).
     */
    static Object[] loadRow(long operationId, long seq, LogEntry e) {
        Object[] row = values(operationId, seq, e);
        return row[12] == null || ((String) row[12]).length() <= CHANGES_LENGTH ? row : null;
    }

    /** Gives a {@link #loadRow} its seq number (made before the numbers were reserved). */
    static void setSeq(Object[] loadRow, long seq) {
        loadRow[1] = seq;
    }

    static ResultPage<LogEntry> page(Connection c, long operationId, LogQuery query) throws SQLException {
        Filter f = filter(query);
        long total;
        try (PreparedStatement p = c.prepareStatement(
                "SELECT COUNT(*) FROM operation_log WHERE operation_id = ?" + f.where())) {
            bind(p, operationId, f.args());
            try (ResultSet r = p.executeQuery()) {
                r.next();
                total = r.getLong(1);
            }
        }
        List<Object> args = new ArrayList<>(f.args());
        args.add(query.offset());
        args.add(query.limit());
        List<LogEntry> items = select(c, "SELECT " + COLUMNS + " FROM operation_log WHERE operation_id = ?" + f.where()
                + " ORDER BY seq OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", operationId, args);
        return new ResultPage<>(items, total, query.offset(), query.limit());
    }

    /** Up to {@code limit} matching lines with a seq above {@code afterSeq}, in seq order. */
    static List<LogEntry> after(Connection c, long operationId, LogQuery filter, long afterSeq, int limit)
            throws SQLException {
        Filter f = filter(filter);
        List<Object> args = new ArrayList<>(f.args());
        args.add(afterSeq);
        args.add(limit);
        return select(c, "SELECT " + COLUMNS + " FROM operation_log WHERE operation_id = ?" + f.where()
                + " AND seq > ? ORDER BY seq FETCH FIRST ? ROWS ONLY", operationId, args);
    }

    /**
     * Patrons the operation created or updated that a later operation, not a preview, also created or
     * updated; in id order. Each operation's lines are read through the primary key: the later runs'
     * patrons into a sorted array, then this run's lines against it (there is rarely a later run to read).
     */
    static List<Long> touchedLater(Connection c, long operationId, int limit) throws SQLException {
        List<Long> later = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id FROM operation WHERE id > ? AND preview = FALSE ORDER BY id")) {
            p.setLong(1, operationId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    later.add(r.getLong(1));
                }
            }
        }
        if (later.isEmpty()) {
            return List.of();
        }
        LongList laterPatrons = new LongList();
        for (long id : later) {
            touched(c, id, laterPatrons);
        }
        long[] sorted = laterPatrons.sorted();
        LongList mine = new LongList();
        touched(c, operationId, mine);
        return Arrays.stream(mine.sorted()).distinct()
                .filter(id -> Arrays.binarySearch(sorted, id) >= 0)
                .limit(limit).boxed().toList();
    }

    /** Adds the patrons the operation created or updated. */
    private static void touched(Connection c, long operationId, LongList out) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT patron_id FROM operation_log"
                + " WHERE operation_id = ? AND patron_id > 0 AND outcome IN (" + TOUCHED + ")")) {
            p.setLong(1, operationId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getLong(1));
                }
            }
        }
    }

    /** A growable array of longs: a run's patron ids without a boxed Long each. */
    private static final class LongList {
        private long[] values = new long[256];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] sorted() {
            long[] out = Arrays.copyOf(values, size);
            Arrays.sort(out);
            return out;
        }
    }

    private static long maxSeq(Connection c, long operationId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT COALESCE(MAX(seq), 0) FROM operation_log WHERE operation_id = ?")) {
            p.setLong(1, operationId);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** The line's columns in the order of {@link #COLUMNS} after the operation, changes encoded but not split. */
    private static Object[] values(long operationId, long seq, LogEntry e) {
        return new Object[] {operationId, seq, e.situation().name(), e.outcome().name(),
            e.type() == null ? null : e.type().code(), OperationRows.clip(e.site(), SITE_LENGTH),
            OperationRows.clip(e.sourceId(), SOURCE_LENGTH), e.patronId(), OperationRows.clip(e.key(), KEY_LENGTH),
            LogCodec.strings(e.blankKeys(), BLANK_KEYS_LENGTH), LogCodec.ids(e.candidates(), CANDIDATES_LENGTH),
            OperationRows.clip(e.reason(), REASON_LENGTH), LogCodec.changes(e.changes())};
    }

    private static final int[] TYPES = {Types.BIGINT, Types.BIGINT, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
        Types.VARCHAR, Types.VARCHAR, Types.BIGINT, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR};

    private static void bind(PreparedStatement p, long operationId, long seq, LogEntry e) throws SQLException {
        Object[] v = values(operationId, seq, e);
        for (int k = 0; k < TYPES.length; k++) {
            p.setObject(k + 1, v[k], TYPES[k]);
        }
        String changes = (String) v[12];
        boolean fits = changes == null || changes.length() <= CHANGES_LENGTH;
        p.setString(13, fits ? changes : null);
        if (fits) {
            p.setNull(14, Types.CLOB);
        } else {
            p.setString(14, changes);
        }
    }

    private static LogEntry entry(ResultSet r) throws SQLException {
        String type = r.getString(4);
        String changes = r.getString(12);
        if (changes == null) {
            changes = r.getString(13);
        }
        return new LogEntry(r.getLong(1), Situation.valueOf(r.getString(2)), Outcome.valueOf(r.getString(3)),
                type == null ? null : PatronType.parse(type).orElse(null), r.getString(5), r.getString(6),
                r.getLong(7), r.getString(8), LogCodec.strings(r.getString(9)), LogCodec.ids(r.getString(10)),
                r.getString(11), LogCodec.changes(changes));
    }

    private static List<LogEntry> select(Connection c, String sql, long operationId, List<Object> args)
            throws SQLException {
        List<LogEntry> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, operationId, args);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(entry(r));
                }
            }
        }
        return out;
    }

    private static void bind(PreparedStatement p, long operationId, List<Object> args) throws SQLException {
        p.setLong(1, operationId);
        for (int i = 0; i < args.size(); i++) {
            p.setObject(i + 2, args.get(i));
        }
    }

    private static Filter filter(LogQuery q) {
        StringBuilder where = new StringBuilder();
        List<Object> args = new ArrayList<>();
        if (q.situation() != null) {
            where.append(" AND situation = ?");
            args.add(q.situation().name());
        }
        if (q.outcome() != null) {
            where.append(" AND outcome = ?");
            args.add(q.outcome().name());
        }
        if (q.type() != null) {
            where.append(" AND patron_type = ?");
            args.add(q.type().code());
        }
        if (q.site() != null) {
            where.append(" AND site = ?");
            args.add(q.site());
        }
        return new Filter(where.toString(), args);
    }

    private static String describe(LogEntry e) {
        if (e.sourceId() != null) {
            return "the log line of " + e.sourceId();
        }
        return e.patronId() > 0 ? "the log line of patron " + e.patronId() : "a " + e.situation().name().toLowerCase(java.util.Locale.ROOT) + " log line";
    }
}
