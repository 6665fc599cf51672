package org.rollbook.store.derby.internal;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.rollbook.api.patron.PatronType;
import org.rollbook.api.store.StoreException;
import org.rollbook.api.sync.Count;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.Outcome;
import org.rollbook.api.sync.Situation;
import org.rollbook.api.sync.Trigger;

/** The {@code operation} and {@code operation_count} tables. Every method runs on the caller's connection. */
final class OperationRows {

    static final int MESSAGE_LENGTH = 4000;
    static final int INTEGRATION_LENGTH = 200;
    static final int SITE_LENGTH = 255;

    private static final String COLUMNS = "id, integration, kind, run_trigger, preview, patron_types, status,"
            + " created_at, started_at, finished_at, processed, expected, message, undo_of";

    private static final String FINISHED = EnumSet.allOf(OperationStatus.class).stream()
            .filter(OperationStatus::finished).map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));

    /** What a count is added up by; '' stands for no type or no site. */
    private record CountKey(Situation situation, Outcome outcome, String type, String site) {
    }

    private OperationRows() {
    }

    static long insert(Connection c, String integration, OperationKind kind, Trigger trigger, boolean preview,
            Set<PatronType> types, long undoOf, Timestamp now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO operation (integration, kind, run_trigger, preview,"
                + " patron_types, status, created_at, undo_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, integration);
            p.setString(2, kind.name());
            p.setString(3, trigger.name());
            p.setBoolean(4, preview);
            p.setString(5, formatTypes(types));
            p.setString(6, OperationStatus.QUEUED.name());
            p.setTimestamp(7, now);
            p.setLong(8, undoOf);
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    static Optional<Operation> read(Connection c, long id) throws SQLException {
        List<Operation> found = select(c, "SELECT " + COLUMNS + " FROM operation WHERE id = ?", id);
        return found.stream().findFirst();
    }

    static Operation require(Connection c, long id) throws SQLException {
        return read(c, id).orElseThrow(() -> new StoreException("operation " + id + " does not exist"));
    }

    static void requireExists(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM operation WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    throw new StoreException("operation " + id + " does not exist");
                }
            }
        }
    }

    /** Newest first. */
    static List<Operation> page(Connection c, int offset, int limit) throws SQLException {
        return select(c, "SELECT " + COLUMNS + " FROM operation ORDER BY id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                offset, limit);
    }

    /** The newest operation of the integration that completed and was not a preview. */
    static Optional<Operation> latestApplied(Connection c, String integration) throws SQLException {
        return select(c, "SELECT " + COLUMNS + " FROM operation WHERE integration = ? AND preview = FALSE"
                + " AND status = '" + OperationStatus.COMPLETED.name() + "' ORDER BY id DESC FETCH FIRST 1 ROWS ONLY",
                integration).stream().findFirst();
    }

    /** Moves to a status; {@code started}/{@code finished} replace the stored values when not null. */
    static void update(Connection c, long id, OperationStatus status, String message, Timestamp started,
            Timestamp finished) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE operation SET status = ?,"
                + " message = COALESCE(?, message), started_at = COALESCE(?, started_at),"
                + " finished_at = COALESCE(?, finished_at) WHERE id = ?")) {
            p.setString(1, status.name());
            p.setString(2, clip(message, MESSAGE_LENGTH));
            p.setTimestamp(3, started);
            p.setTimestamp(4, finished);
            p.setLong(5, id);
            requireOne(p.executeUpdate(), id);
        }
    }

    static void progress(Connection c, long id, long processed, long expected) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE operation SET processed = ?, expected = ? WHERE id = ?")) {
            p.setLong(1, processed);
            p.setLong(2, expected);
            p.setLong(3, id);
            requireOne(p.executeUpdate(), id);
        }
    }

    static void processed(Connection c, long id, long processed) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE operation SET processed = ? WHERE id = ?")) {
            p.setLong(1, processed);
            p.setLong(2, id);
            requireOne(p.executeUpdate(), id);
        }
    }

    /** Adds counts: summed per key here, then one UPDATE per key and an INSERT for the keys not yet stored. */
    static void addCounts(Connection c, long id, List<Count> counts) throws SQLException {
        Map<CountKey, Long> sums = sum(counts);
        if (sums.isEmpty()) {
            return;
        }
        List<Map.Entry<CountKey, Long>> entries = new ArrayList<>(sums.entrySet());
        int[] updated;
        try (PreparedStatement p = c.prepareStatement("UPDATE operation_count SET records = records + ?"
                + " WHERE operation_id = ? AND situation = ? AND outcome = ? AND patron_type = ? AND site = ?")) {
            for (Map.Entry<CountKey, Long> e : entries) {
                p.setLong(1, e.getValue());
                bindKey(p, 2, id, e.getKey());
                p.addBatch();
            }
            updated = executeCounts(p, id);
        }
        List<Map.Entry<CountKey, Long>> missing = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (updated[i] == 0) {
                missing.add(entries.get(i));
            }
        }
        insertCounts(c, id, missing);
    }

    static void replaceCounts(Connection c, long id, List<Count> counts) throws SQLException {
        deleteCounts(c, id);
        insertCounts(c, id, new ArrayList<>(sum(counts).entrySet()));
    }

    /** The counts of the operations with ids from {@code first} to {@code last}, by operation id. */
    static Map<Long, List<Count>> counts(Connection c, long first, long last) throws SQLException {
        Map<Long, List<Count>> out = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT operation_id, situation, outcome, patron_type, site,"
                + " records FROM operation_count WHERE operation_id BETWEEN ? AND ?"
                + " ORDER BY operation_id, situation, outcome, patron_type, site")) {
            p.setLong(1, first);
            p.setLong(2, last);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String type = r.getString(4);
                    String site = r.getString(5);
                    out.computeIfAbsent(r.getLong(1), x -> new ArrayList<>()).add(new Count(
                            Situation.valueOf(r.getString(2)), Outcome.valueOf(r.getString(3)),
                            type.isEmpty() ? null : PatronType.parse(type).orElse(null), site.isEmpty() ? null : site,
                            r.getLong(6)));
                }
            }
        }
        return out;
    }

    /** RUNNING → INTERRUPTED and QUEUED → CANCELLED, both finished now; HELD stays held. */
    static int interruptUnfinished(Connection c, Timestamp now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE operation SET status = ?, finished_at = ?, message = ? WHERE status = ?")) {
            p.setString(1, OperationStatus.INTERRUPTED.name());
            p.setTimestamp(2, now);
            p.setString(3, "the server stopped while this ran");
            p.setString(4, OperationStatus.RUNNING.name());
            int interrupted = p.executeUpdate();
            p.setString(1, OperationStatus.CANCELLED.name());
            p.setString(3, "the server stopped before this started");
            p.setString(4, OperationStatus.QUEUED.name());
            return interrupted + p.executeUpdate();
        }
    }

    /** Ids of the operations in a finished status that finished before the cutoff. */
    static List<Long> finishedBefore(Connection c, Timestamp cutoff) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id FROM operation WHERE finished_at < ? AND status IN (" + FINISHED + ") ORDER BY id")) {
            p.setTimestamp(1, cutoff);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getLong(1));
                }
            }
        }
        return out;
    }

    /** Deletes an operation with its log lines and counts. */
    static void delete(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM operation_log WHERE operation_id = ?")) {
            p.setLong(1, id);
            p.executeUpdate();
        }
        deleteCounts(c, id);
        try (PreparedStatement p = c.prepareStatement("DELETE FROM operation WHERE id = ?")) {
            p.setLong(1, id);
            p.executeUpdate();
        }
    }

    /** The text, cut to {@code max} characters with a trailing "…" when longer. */
    static String clip(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    private static List<Operation> select(Connection c, String sql, Object... args) throws SQLException {
        List<Operation> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(operation(r, List.of()));
                }
            }
        }
        if (out.isEmpty()) {
            return out;
        }
        long first = out.stream().mapToLong(Operation::id).min().getAsLong();
        long last = out.stream().mapToLong(Operation::id).max().getAsLong();
        // a page is a run of consecutive operations, so its counts are those of its id range
        Map<Long, List<Count>> counts = counts(c, first, last);
        List<Operation> withCounts = new ArrayList<>(out.size());
        for (Operation o : out) {
            withCounts.add(withCounts(o, counts.getOrDefault(o.id(), List.of())));
        }
        return withCounts;
    }

    private static Operation operation(ResultSet r, List<Count> counts) throws SQLException {
        return new Operation(r.getLong("id"), r.getString("integration"), OperationKind.valueOf(r.getString("kind")),
                Trigger.valueOf(r.getString("run_trigger")), r.getBoolean("preview"),
                parseTypes(r.getString("patron_types")), OperationStatus.valueOf(r.getString("status")),
                instant(r.getTimestamp("created_at")), instant(r.getTimestamp("started_at")),
                instant(r.getTimestamp("finished_at")), r.getLong("processed"), r.getLong("expected"),
                r.getString("message"), r.getLong("undo_of"), counts);
    }

    private static Operation withCounts(Operation o, List<Count> counts) {
        return new Operation(o.id(), o.integration(), o.kind(), o.trigger(), o.preview(), o.types(), o.status(),
                o.created(), o.started(), o.finished(), o.processed(), o.expected(), o.message(), o.undoOf(), counts);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String formatTypes(Set<PatronType> types) {
        return types.stream().sorted().map(PatronType::code).collect(Collectors.joining(","));
    }

    private static Set<PatronType> parseTypes(String text) {
        Set<PatronType> out = EnumSet.noneOf(PatronType.class);
        for (String code : text.split(",")) {
            PatronType.parse(code).ifPresent(out::add);
        }
        return out;
    }

    private static Map<CountKey, Long> sum(List<Count> counts) {
        Map<CountKey, Long> sums = new LinkedHashMap<>();
        for (Count n : counts) {
            if (n.situation() == null || n.outcome() == null) {
                throw new StoreException("a count needs a situation and an outcome: " + n);
            }
            CountKey key = new CountKey(n.situation(), n.outcome(), n.type() == null ? "" : n.type().code(),
                    n.site() == null ? "" : clip(n.site(), SITE_LENGTH));
            sums.merge(key, n.records(), Long::sum);
        }
        return sums;
    }

    private static void insertCounts(Connection c, long id, List<Map.Entry<CountKey, Long>> entries)
            throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO operation_count (records, operation_id,"
                + " situation, outcome, patron_type, site) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<CountKey, Long> e : entries) {
                p.setLong(1, e.getValue());
                bindKey(p, 2, id, e.getKey());
                p.addBatch();
            }
            executeCounts(p, id);
        }
    }

    private static void deleteCounts(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM operation_count WHERE operation_id = ?")) {
            p.setLong(1, id);
            p.executeUpdate();
        }
    }

    private static void bindKey(PreparedStatement p, int from, long id, CountKey key) throws SQLException {
        p.setLong(from, id);
        p.setString(from + 1, key.situation().name());
        p.setString(from + 2, key.outcome().name());
        p.setString(from + 3, key.type());
        p.setString(from + 4, key.site());
    }

    private static int[] executeCounts(PreparedStatement p, long id) throws SQLException {
        try {
            return p.executeBatch();
        } catch (BatchUpdateException e) {
            SQLException cause = e.getNextException() != null ? e.getNextException() : e;
            throw new StoreException("the counts of operation " + id + " could not be saved: " + cause.getMessage(), e);
        }
    }

    private static void requireOne(int updated, long id) {
        if (updated == 0) {
            throw new StoreException("operation " + id + " does not exist");
        }
    }
}
