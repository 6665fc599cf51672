package org.rollbook.store.derby.internal;

import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.rollbook.api.patron.Patron;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronStatus;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.patron.Site;
import org.rollbook.api.store.BatchResult;
import org.rollbook.api.store.BatchSource;
import org.rollbook.api.store.IntegrationFootprint;
import org.rollbook.api.store.KeyLookup;
import org.rollbook.api.store.OperationStore;
import org.rollbook.api.store.PatronBatch;
import org.rollbook.api.store.PatronKeys;
import org.rollbook.api.store.PatronQuery;
import org.rollbook.api.store.PatronStore;
import org.rollbook.api.store.PatronWrite;
import org.rollbook.api.store.ResultPage;
import org.rollbook.api.store.StoreException;
import org.rollbook.api.store.StoreStatus;
import org.rollbook.api.sync.Count;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.LogQuery;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.Trigger;

/**
 * The default patron store, and where operations, their logs and counts and the integrations' state
 * live: an embedded Derby database under the data directory.
 */
@Component(service = {PatronStore.class, OperationStore.class}, immediate = true, configurationPid = DerbyPatronStore.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = PatronStore.KIND + "=derby")
@Designate(ocd = DerbyPatronStore.Config.class)
public class DerbyPatronStore implements PatronStore, OperationStore {

    static final String PID = "org.rollbook.store.derby";

    @ObjectClassDefinition(name = "Rollbook patron store (Derby)",
            description = "Where the embedded Derby patron database lives.")
    public @interface Config {
        @AttributeDefinition(name = "Data directory",
                description = "Directory for Rollbook's data; relative paths start at the server's working directory.")
        String dataDirectory() default "data";

        @AttributeDefinition(name = "Page cache (pages)", description = "Derby page cache size in 4 KiB pages.")
        int pageCacheSize() default 4000;
    }

    /** IN lists are padded to one of these sizes so Derby compiles few distinct statements. */
    private static final int[] IN_SIZES = {1, 8, 64, 256};

    private static final String KEY_COLUMNS = "id, patron_type, status, integration, guid, barcode, community_id, email_key, roster_digest";

    /** Rows read per statement when streaming linked patrons or log lines. */
    private static final int PAGE = 1000;

    /** The most operations one call of {@link #operations(int, int)} returns. */
    static final int MAX_OPERATIONS = 1000;

    private static final List<PatronField> FIELDS = List.of(PatronField.values());

    private static final String ALL_COLUMNS = "id, patron_type, policy, integration, provenance, created_at, updated_at, "
            + FIELDS.stream().map(PatronColumns::column).collect(Collectors.joining(", "));

    private final Database db;
    private final AtomicLong lastId;
    /**
     * How many patrons there are: counted on open, then counted up as creates commit (patrons are never
     * deleted). {@link #status()} reads it, so that it never waits for a load's lock on the table.
     */
    private final AtomicLong patronCount;
    /** Held for reading while a write takes patron ids, for writing while a load numbers its patrons. */
    private final java.util.concurrent.locks.ReadWriteLock idLock = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private final LogLines logLines = new LogLines();

    @Activate
    public DerbyPatronStore(Config config) {
        this(Path.of(config.dataDirectory()), config.pageCacheSize());
    }

    /** A store outside the framework (tests, benchmarks, tools); close it when done. */
    public static DerbyPatronStore open(Path dataDirectory, int pageCacheSize) {
        return new DerbyPatronStore(dataDirectory, pageCacheSize);
    }

    DerbyPatronStore(Path dataDirectory, int pageCacheSize) {
        this.db = new Database(dataDirectory, pageCacheSize);
        try {
            this.lastId = new AtomicLong(queryLong("SELECT COALESCE(MAX(id), 0) FROM patron"));
            this.patronCount = new AtomicLong(queryLong("SELECT COUNT(*) FROM patron"));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    @Deactivate
    public void close() {
        db.close();
    }

    Path dataDirectory() {
        return db.directory();
    }

    @Override
    public StoreStatus status() {
        String location = db.directory().toString();
        if (!db.isOpen()) {
            return new StoreStatus(false, "derby", location, db.schemaVersion(), 0, 0, "closed");
        }
        try {
            return new StoreStatus(true, "derby", location, db.schemaVersion(),
                    patronCount.get(), queryLong("SELECT COUNT(*) FROM site"), "open");
        } catch (RuntimeException e) {
            return new StoreStatus(false, "derby", location, db.schemaVersion(), 0, 0, String.valueOf(e.getMessage()));
        }
    }

    // ---------------------------------------------------------------- match keys

    @Override
    public List<PatronKeys> findByKeys(KeyLookup lookup) {
        if (lookup.isEmpty()) {
            return List.of();
        }
        return withConnection(c -> {
            Map<Long, PatronKeys> found = new LinkedHashMap<>();
            if (lookup.integration() != null) {
                // the (GUID, integration) constraint: Derby probes an IN list only on an index's first column
                selectKeys(c, "constraint=PATRON_GUID_PER_INTEGRATION", "integration = ? AND guid", lookup.integration(),
                        lookup.guids(), found);
            }
            selectKeys(c, "constraint=PATRON_BARCODE_UNIQUE", "barcode", null, lookup.barcodes(), found);
            selectKeys(c, "index=PATRON_COMMUNITY_ID", "community_id", null, lookup.communityIds(), found);
            selectKeys(c, "index=PATRON_EMAIL_KEY", "email_key", null, lookup.emails(), found);
            return new ArrayList<>(found.values());
        });
    }

    /**
     * Looks keys up through the index named by {@code access} (a Derby optimizer override): a plan compiled
     * while the table was small, say during a first sync, would otherwise scan the table for every batch of
     * the next run until Derby noticed that it grew.
     */
    private static void selectKeys(Connection c, String access, String column, String integration, Set<String> values,
            Map<Long, PatronKeys> into) throws SQLException {
        List<String> all = new ArrayList<>(values);
        for (int from = 0; from < all.size();) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_SIZES[IN_SIZES.length - 1]));
            from += chunk.size();
            int size = inSize(chunk.size());
            String sql = "SELECT " + KEY_COLUMNS + " FROM patron --DERBY-PROPERTIES " + access + "\n WHERE " + column
                    + " IN (" + placeholders(size) + ")";
            try (PreparedStatement p = c.prepareStatement(sql)) {
                int i = 1;
                if (integration != null) {
                    p.setString(i++, integration);
                }
                for (int k = 0; k < size; k++) {
                    p.setString(i++, chunk.get(Math.min(k, chunk.size() - 1)));
                }
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        long id = r.getLong(1);
                        into.computeIfAbsent(id, x -> keys(r));
                    }
                }
            }
        }
    }

    private static PatronKeys keys(ResultSet r) {
        try {
            return new PatronKeys(r.getLong(1), type(r.getString(2)),
                    PatronStatus.ofCode(r.getShort(3)).orElse(PatronStatus.ACTIVE), r.getString(4), r.getString(5),
                    r.getString(6), r.getString(7), r.getString(8), r.getString(9));
        } catch (SQLException e) {
            throw new StoreException("cannot read patron keys: " + e.getMessage(), e);
        }
    }

    @Override
    public void forEachLinked(String integration, Consumer<PatronKeys> consumer) {
        if (integration == null) {
            return;
        }
        // One pass over the table (index=null: a table scan, whichever indexes exist): the patrons linked
        // to the integration are most of the table, and reading them through an index would fetch each
        // row at random. The consumer runs while the statement is open, so it must be quick.
        withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + KEY_COLUMNS
                    + " FROM patron --DERBY-PROPERTIES index=null\n WHERE integration = ? AND guid IS NOT NULL")) {
                p.setString(1, integration);
                p.setFetchSize(PAGE);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        consumer.accept(keys(r));
                    }
                }
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- reads

    @Override
    public List<Patron> patrons(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return withConnection(c -> readPatrons(c, List.copyOf(Set.copyOf(ids))));
    }

    @Override
    public Optional<Patron> patron(long id) {
        return patrons(List.of(id)).stream().findFirst();
    }

    private List<Patron> readPatrons(Connection c, List<Long> ids) throws SQLException {
        List<Patron> out = new ArrayList<>(ids.size());
        Map<Long, Map<String, String>> locals = readLocalFields(c, ids);
        int max = IN_SIZES[IN_SIZES.length - 1];
        for (int from = 0; from < ids.size(); from += max) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + max));
            int size = inSize(chunk.size());
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT " + ALL_COLUMNS + " FROM patron WHERE id IN (" + placeholders(size) + ")")) {
                for (int k = 0; k < size; k++) {
                    p.setLong(k + 1, chunk.get(Math.min(k, chunk.size() - 1)));
                }
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(patron(r, locals.getOrDefault(r.getLong("id"), Map.of())));
                    }
                }
            }
        }
        return out;
    }

    private static Patron patron(ResultSet r, Map<String, String> locals) throws SQLException {
        Map<PatronField, String> fields = new EnumMap<>(PatronField.class);
        for (PatronField f : FIELDS) {
            String v = PatronColumns.read(r, f);
            if (v != null) {
                fields.put(f, v);
            }
        }
        return new Patron(r.getLong("id"), type(r.getString("patron_type")), r.getString("policy"),
                r.getString("integration"), fields, locals, PatronColumns.parseProvenance(r.getString("provenance")),
                r.getTimestamp("created_at").toInstant(), r.getTimestamp("updated_at").toInstant());
    }

    private static Map<Long, Map<String, String>> readLocalFields(Connection c, List<Long> ids) throws SQLException {
        Map<Long, Map<String, String>> out = new HashMap<>();
        int max = IN_SIZES[IN_SIZES.length - 1];
        for (int from = 0; from < ids.size(); from += max) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + max));
            int size = inSize(chunk.size());
            try (PreparedStatement p = c.prepareStatement("SELECT patron_id, name, field_value FROM patron_local"
                    + " WHERE patron_id IN (" + placeholders(size) + ") ORDER BY patron_id, name")) {
                for (int k = 0; k < size; k++) {
                    p.setLong(k + 1, chunk.get(Math.min(k, chunk.size() - 1)));
                }
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.computeIfAbsent(r.getLong(1), x -> new LinkedHashMap<>()).put(r.getString(2), r.getString(3));
                    }
                }
            }
        }
        return out;
    }

    @Override
    public ResultPage<Patron> search(PatronQuery query) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (query.type() != null) {
            where.append(" AND patron_type = ?");
            args.add(query.type().code());
        }
        if (query.site() != null) {
            where.append(" AND site = ?");
            args.add(query.site());
        }
        if (query.text() != null) {
            String prefix = likeEscape(query.text().toLowerCase(java.util.Locale.ROOT)) + "%";
            where.append(" AND (guid = ? OR barcode = ? OR email_key = ?"
                    + " OR last_name_key LIKE ? ESCAPE '\\' OR first_name_key LIKE ? ESCAPE '\\')");
            args.add(query.text());
            args.add(query.text());
            args.add(KeyLookup.emailKey(query.text()));
            args.add(prefix);
            args.add(prefix);
        }
        return withConnection(c -> {
            long total;
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM patron" + where)) {
                bindAll(p, args);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    total = r.getLong(1);
                }
            }
            if (query.limit() == 0) {
                return new ResultPage<Patron>(List.of(), total, query.offset(), 0);
            }
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT id FROM patron" + where
                    + " ORDER BY last_name_key, first_name_key, id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
                List<Object> paged = new ArrayList<>(args);
                paged.add(query.offset());
                paged.add(query.limit());
                bindAll(p, paged);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        ids.add(r.getLong(1));
                    }
                }
            }
            Map<Long, Patron> byId = new HashMap<>();
            for (Patron pt : readPatrons(c, ids)) {
                byId.put(pt.id(), pt);
            }
            List<Patron> items = ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
            return new ResultPage<>(items, total, query.offset(), query.limit());
        });
    }

    // ---------------------------------------------------------------- writes

    @Override
    public BatchResult write(PatronBatch batch) {
        if (batch.writes().isEmpty() && batch.log().isEmpty() && batch.counts().isEmpty() && batch.state().isEmpty()
                && batch.processed() < 0) {
            return new BatchResult(List.of());
        }
        List<Map<PatronField, String>> values = normalizedValues(batch);
        IntegrationState.check(batch.integration(), batch.state());
        Timestamp now = Timestamp.from(Instant.now());
        List<LogLines.Reservation> reserved = new ArrayList<>();
        try {
            BatchResult result = withTransaction(c -> {
                if (keepsBookkeeping(batch)) {
                    OperationRows.requireExists(c, batch.operationId());
                }
                long[] ids = new long[batch.writes().size()];
                List<Integer> creates = new ArrayList<>();
                List<Integer> updates = new ArrayList<>();
                for (int i = 0; i < ids.length; i++) {
                    (batch.writes().get(i).isCreate() ? creates : updates).add(i);
                }
                insert(c, batch, values, creates, ids, now);
                update(c, batch, values, updates, ids, now);
                record(c, batch, ids, now, reserved);
                List<Long> out = new ArrayList<>(ids.length);
                for (long id : ids) {
                    out.add(id);
                }
                return new BatchResult(out);
            });
            patronCount.addAndGet(batch.writes().stream().filter(PatronWrite::isCreate).count());
            return result;
        } catch (RuntimeException e) {
            reserved.forEach(logLines::release);
            throw e;
        }
    }

    /** Normalizes and checks every value and log line before touching the database, so a bad one names its record. */
    private static List<Map<PatronField, String>> normalizedValues(PatronBatch batch) {
        List<Map<PatronField, String>> values = new ArrayList<>(batch.writes().size());
        for (PatronWrite w : batch.writes()) {
            Map<PatronField, String> v = new EnumMap<>(PatronField.class);
            try {
                w.values().forEach((f, x) -> v.put(f, PatronColumns.normalize(f, x)));
                if (w.log() != null) {
                    LogLines.check(w.log());
                }
            } catch (StoreException e) {
                throw new StoreException(describe(w) + ": " + e.getMessage());
            }
            if (w.values().containsKey(PatronField.STATUS) && v.get(PatronField.STATUS) == null) {
                throw new StoreException(describe(w) + ": status cannot be erased");
            }
            values.add(v);
        }
        batch.log().forEach(LogLines::check);
        return values;
    }

    /** The bookkeeping of a batch, in its transaction: log lines, counts, progress, the integration's state. */
    private void record(Connection c, PatronBatch batch, long[] ids, Timestamp now,
            List<LogLines.Reservation> reserved) throws SQLException {
        List<LogEntry> lines = lines(batch, ids);
        long op = batch.operationId();
        appendLines(c, op, lines, reserved);
        OperationRows.addCounts(c, op, batch.counts());
        if (batch.processed() >= 0) {
            OperationRows.processed(c, op, batch.processed());
        }
        IntegrationState.put(c, batch.integration(), batch.state(), now);
    }

    /** The batch's log lines: each write's, naming the patron written ({@code ids}), then the others. */
    static List<LogEntry> lines(PatronBatch batch, long[] ids) {
        List<LogEntry> lines = new ArrayList<>(batch.writes().size() + batch.log().size());
        for (int i = 0; i < ids.length; i++) {
            LogEntry e = batch.writes().get(i).log();
            if (e != null) {
                lines.add(e.patronId() == ids[i] ? e : e.withPatron(ids[i], e.outcome(), e.reason()));
            }
        }
        lines.addAll(batch.log());
        return lines;
    }

    /** Whether the batch writes to its operation's log, counts or progress (and so needs the operation). */
    static boolean keepsBookkeeping(PatronBatch batch) {
        return !batch.log().isEmpty() || !batch.counts().isEmpty() || batch.processed() >= 0
                || batch.writes().stream().anyMatch(w -> w.log() != null);
    }

    private void appendLines(Connection c, long operationId, List<LogEntry> lines, List<LogLines.Reservation> reserved)
            throws SQLException {
        if (lines.isEmpty()) {
            return;
        }
        LogLines.Reservation r = logLines.reserve(c, operationId, lines.size());
        reserved.add(r);
        logLines.insert(c, r, lines);
    }

    /** The columns a created patron's row sets, in the order of {@link #createRow} and of {@code load_patrons}. */
    private static final String CREATE_COLUMNS = "id, patron_type, policy, integration, provenance, created_at,"
            + " updated_at, roster_digest, " + FIELDS.stream().map(PatronColumns::column).collect(Collectors.joining(", "));

    private void insert(Connection c, PatronBatch batch, List<Map<PatronField, String>> values, List<Integer> creates,
            long[] ids, Timestamp now) throws SQLException {
        if (creates.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO patron (" + CREATE_COLUMNS + ") VALUES (" + placeholders(8 + FIELDS.size()) + ")";
        idLock.readLock().lock();
        try {
            for (int i : creates) {
                ids[i] = lastId.incrementAndGet();
            }
        } finally {
            idLock.readLock().unlock();
        }
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i : creates) {
                Object[] row = createRow(batch.operationId(), batch.writes().get(i), values.get(i), ids[i], now);
                for (int k = 0; k < row.length; k++) {
                    p.setObject(k + 1, row[k], k < 8 ? CREATE_TYPES[k] : PatronColumns.sqlType(FIELDS.get(k - 8)));
                }
                p.addBatch();
            }
            executeBatch(p, batch, creates);
        }
    }

    private static final int[] CREATE_TYPES = {Types.BIGINT, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
        Types.TIMESTAMP, Types.TIMESTAMP, Types.VARCHAR};

    /** A created patron's row, in the order of {@link #CREATE_COLUMNS}: each field written is the operation's. */
    private static Object[] createRow(long operationId, PatronWrite w, Map<PatronField, String> v, long id,
            Timestamp now) {
        Map<PatronField, Long> provenance = new EnumMap<>(PatronField.class);
        v.forEach((f, x) -> {
            if (x != null) {
                provenance.put(f, operationId);
            }
        });
        Object[] row = new Object[8 + FIELDS.size()];
        row[0] = id;
        row[1] = w.type().code();
        row[2] = w.policy();
        row[3] = v.get(PatronField.GUID) == null ? null : w.integration();
        row[4] = PatronColumns.formatProvenance(provenance);
        row[5] = now;
        row[6] = now;
        row[7] = w.rosterDigest();
        int k = 8;
        for (PatronField f : FIELDS) {
            row[k++] = PatronColumns.value(f, v.get(f));
        }
        return row;
    }

    /**
     * A whole run into an empty patron table, in one transaction: the patrons through {@code load_patrons},
     * which Derby inserts the way its import does (a new heap, each index built once by sorting), then
     * each batch's bookkeeping as {@link #write} keeps it. Patron ids follow on from the highest ever used
     * (the k-th create of the run gets base + k in both passes).
     */
    @Override
    public boolean load(BatchSource source) {
        Timestamp now = Timestamp.from(Instant.now());
        List<LogLines.Reservation> reserved = new ArrayList<>();
        RuntimeException[] refused = new RuntimeException[1];
        idLock.writeLock().lock(); // no write takes an id the load is about to give
        long base = lastId.get();
        try {
            long created = withTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("LOCK TABLE patron IN EXCLUSIVE MODE");
                    try (ResultSet r = s.executeQuery("SELECT 1 FROM patron FETCH FIRST 1 ROWS ONLY")) {
                        if (r.next()) {
                            return -1L;
                        }
                    }
                }
                long[] next = {base};
                boolean[] allCreates = {true};
                long count;
                try (BatchSource.Pass pass = source.open()) {
                    Iterator<Object[]> rows = new Iterator<>() {
                        private Iterator<Object[]> batchRows = java.util.Collections.emptyIterator();

                        @Override
                        public boolean hasNext() {
                            try {
                                while (!batchRows.hasNext() && allCreates[0] && pass.hasNext()) {
                                    batchRows = rowsOf(pass.next(), next, now, allCreates);
                                }
                                return batchRows.hasNext();
                            } catch (RuntimeException e) {
                                refused[0] = e;
                                throw e;
                            }
                        }

                        @Override
                        public Object[] next() {
                            return batchRows.next();
                        }
                    };
                    long handle = PatronLoad.register(rows);
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO patron (" + CREATE_COLUMNS + ") SELECT "
                            + CREATE_COLUMNS + " FROM TABLE(load_patrons(?)) t")) {
                        p.setLong(1, handle);
                        count = p.executeUpdate();
                    } finally {
                        PatronLoad.unregister(handle);
                    }
                }
                if (!allCreates[0] || count == 0) {
                    throw new NotLoadable(); // an update, or nothing to load: batch by batch
                }
                long last;
                LoadLog log;
                try (BatchSource.Pass pass = source.open()) {
                    log = new LoadLog(c, logLines, reserved, pass, base);
                    last = log.run();
                }
                if (log.operation() != 0) {
                    OperationRows.addCounts(c, log.operation(), log.counts);
                    if (log.processed >= 0) {
                        OperationRows.processed(c, log.operation(), log.processed);
                    }
                }
                if (log.integration != null) {
                    IntegrationState.put(c, log.integration, log.state, now);
                }
                if (last - base != count) {
                    throw new StoreException("the load read " + (last - base) + " patrons the second time, "
                            + count + " the first");
                }
                return count;
            });
            if (created < 0) {
                return false;
            }
            lastId.set(base + created);
            patronCount.addAndGet(created);
            return true;
        } catch (NotLoadable e) {
            return false;
        } catch (RuntimeException e) {
            for (int i = reserved.size() - 1; i >= 0; i--) { // the last numbers first, so that all go back
                logLines.release(reserved.get(i));
            }
            throw refused[0] != null ? refused[0] : e;
        } finally {
            idLock.writeLock().unlock();
        }
    }

    /** The rows of a batch's creates, numbered on from {@code next[0]}; clears {@code allCreates} at an update. */
    private static Iterator<Object[]> rowsOf(PatronBatch batch, long[] next, Timestamp now, boolean[] allCreates) {
        List<Map<PatronField, String>> values = normalizedValues(batch);
        IntegrationState.check(batch.integration(), batch.state());
        List<Object[]> rows = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            PatronWrite w = batch.writes().get(i);
            if (!w.isCreate()) {
                allCreates[0] = false;
                return java.util.Collections.emptyIterator();
            }
            rows.add(createRow(batch.operationId(), w, values.get(i), ++next[0], now));
        }
        return rows.iterator();
    }

    /** A load with a write other than a create, or with no create: rolled back; the caller writes batch by batch. */
    private static final class NotLoadable extends RuntimeException {
        NotLoadable() {
            super(null, null, false, false);
        }
    }

    private void update(Connection c, PatronBatch batch, List<Map<PatronField, String>> values, List<Integer> updates,
            long[] ids, Timestamp now) throws SQLException {
        if (updates.isEmpty()) {
            return;
        }
        List<Long> updateIds = new ArrayList<>();
        for (int i : updates) {
            ids[i] = batch.writes().get(i).patronId();
            updateIds.add(ids[i]);
        }
        Map<Long, String> provenance = readProvenance(c, updateIds);
        // Group writes by the columns they set: one prepared statement per shape, executed as a JDBC batch.
        Map<Set<PatronField>, List<Integer>> byShape = new LinkedHashMap<>();
        for (int i : updates) {
            PatronWrite w = batch.writes().get(i);
            if (!provenance.containsKey(w.patronId())) {
                throw new StoreException(describe(w) + ": no such patron");
            }
            Set<PatronField> shape = values.get(i).isEmpty() ? EnumSet.noneOf(PatronField.class)
                    : EnumSet.copyOf(values.get(i).keySet());
            byShape.computeIfAbsent(shape, s -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<Set<PatronField>, List<Integer>> e : byShape.entrySet()) {
            Set<PatronField> shape = e.getKey();
            boolean linking = shape.contains(PatronField.GUID);
            StringBuilder sql = new StringBuilder("UPDATE patron SET updated_at = ?, provenance = ?, roster_digest = ?");
            for (PatronField f : shape) {
                sql.append(", ").append(PatronColumns.column(f)).append(" = ?");
            }
            if (linking) {
                sql.append(", integration = ?");
            }
            sql.append(" WHERE id = ?");
            try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                for (int i : e.getValue()) {
                    PatronWrite w = batch.writes().get(i);
                    Map<PatronField, String> v = values.get(i);
                    Map<PatronField, Long> prov = PatronColumns.parseProvenance(provenance.get(w.patronId()));
                    for (PatronField f : shape) {
                        if (v.get(f) == null) {
                            prov.remove(f);
                        } else {
                            prov.put(f, batch.operationId());
                        }
                    }
                    int k = 1;
                    p.setTimestamp(k++, now);
                    p.setString(k++, PatronColumns.formatProvenance(prov));
                    p.setString(k++, w.rosterDigest());
                    for (PatronField f : shape) {
                        PatronColumns.bind(p, k++, f, v.get(f));
                    }
                    if (linking) {
                        p.setString(k++, v.get(PatronField.GUID) == null ? null : w.integration());
                    }
                    p.setLong(k, w.patronId());
                    p.addBatch();
                }
                executeBatch(p, batch, e.getValue());
            }
        }
    }

    private static Map<Long, String> readProvenance(Connection c, List<Long> ids) throws SQLException {
        Map<Long, String> out = new HashMap<>();
        int max = IN_SIZES[IN_SIZES.length - 1];
        for (int from = 0; from < ids.size(); from += max) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + max));
            int size = inSize(chunk.size());
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT id, provenance FROM patron WHERE id IN (" + placeholders(size) + ")")) {
                for (int k = 0; k < size; k++) {
                    p.setLong(k + 1, chunk.get(Math.min(k, chunk.size() - 1)));
                }
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        String prov = r.getString(2);
                        out.put(r.getLong(1), prov == null ? "" : prov);
                    }
                }
            }
        }
        return out;
    }

    /** Runs a JDBC batch; a constraint violation names the write that caused it. */
    private static void executeBatch(PreparedStatement p, PatronBatch batch, List<Integer> indexes)
            throws SQLException {
        try {
            p.executeBatch();
        } catch (BatchUpdateException e) {
            int failed = e.getUpdateCounts() == null ? 0 : e.getUpdateCounts().length;
            String who = failed < indexes.size() ? describe(batch.writes().get(indexes.get(failed))) : "a patron";
            throw new StoreException(who + ": " + constraintMessage(e), e);
        }
    }

    private static String constraintMessage(SQLException e) {
        SQLException cause = e.getNextException() != null ? e.getNextException() : e;
        String msg = String.valueOf(cause.getMessage()).toUpperCase(java.util.Locale.ROOT);
        if (msg.contains("PATRON_BARCODE_UNIQUE")) {
            return "the barcode already belongs to another patron";
        }
        if (msg.contains("PATRON_GUID_PER_INTEGRATION")) {
            return "the GUID is already linked to another patron of this integration";
        }
        return cause.getMessage();
    }

    private static String describe(PatronWrite w) {
        String guid = w.values().get(PatronField.GUID);
        if (w.isCreate()) {
            return "new " + w.type().code() + (guid == null ? "" : " " + guid);
        }
        return "patron " + w.patronId() + (guid == null ? "" : " (" + guid + ")");
    }

    @Override
    public void setLocalFields(long patronId, Map<String, String> fields) {
        withTransaction(c -> {
            try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM patron WHERE id = ?")) {
                check.setLong(1, patronId);
                try (ResultSet r = check.executeQuery()) {
                    if (!r.next()) {
                        throw new StoreException("patron " + patronId + " does not exist");
                    }
                }
            }
            try (PreparedStatement del = c.prepareStatement("DELETE FROM patron_local WHERE patron_id = ?")) {
                del.setLong(1, patronId);
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO patron_local (patron_id, name, field_value) VALUES (?, ?, ?)")) {
                for (Map.Entry<String, String> e : fields.entrySet()) {
                    if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null || e.getValue().isBlank()) {
                        continue;
                    }
                    ins.setLong(1, patronId);
                    ins.setString(2, e.getKey().strip());
                    ins.setString(3, e.getValue());
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- sites

    @Override
    public List<Site> sites() {
        return withConnection(c -> {
            List<Site> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT code, name, provider_id FROM site ORDER BY code")) {
                while (r.next()) {
                    out.add(new Site(r.getString(1), r.getString(2), r.getString(3)));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<Site> site(String code) {
        if (code == null || code.isBlank()) {
            return Optional.empty();
        }
        return withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT code, name, provider_id FROM site WHERE code = ?")) {
                p.setString(1, code.strip());
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(new Site(r.getString(1), r.getString(2), r.getString(3)))
                            : Optional.<Site>empty();
                }
            }
        });
    }

    @Override
    public Site saveSite(Site site) {
        if (site.code().length() > 100 || site.name().length() > 255) {
            throw new StoreException("site code is limited to 100 characters and its name to 255");
        }
        return withTransaction(c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE site SET name = ?, provider_id = ? WHERE code = ?")) {
                u.setString(1, site.name());
                u.setString(2, site.providerId());
                u.setString(3, site.code());
                if (u.executeUpdate() == 0) {
                    try (PreparedStatement i = c.prepareStatement(
                            "INSERT INTO site (code, name, provider_id) VALUES (?, ?, ?)")) {
                        i.setString(1, site.code());
                        i.setString(2, site.name());
                        i.setString(3, site.providerId());
                        i.executeUpdate();
                    }
                }
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    throw new StoreException("school " + site.providerId() + " is already mapped to another site");
                }
                throw e;
            }
            return site;
        });
    }

    @Override
    public boolean deleteSite(String code) {
        return withTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM site WHERE code = ?")) {
                p.setString(1, code);
                return p.executeUpdate() > 0;
            }
        });
    }

    // ---------------------------------------------------------------- operations

    @Override
    public Operation createOperation(String integration, OperationKind kind, Trigger trigger, boolean preview,
            Set<PatronType> types, long undoOf) {
        if (integration == null || integration.isBlank() || integration.length() > OperationRows.INTEGRATION_LENGTH) {
            throw new StoreException("an operation needs an integration name of at most "
                    + OperationRows.INTEGRATION_LENGTH + " characters");
        }
        if (kind == null || trigger == null) {
            throw new StoreException("an operation needs a kind and a trigger");
        }
        Set<PatronType> covered = types == null ? Set.of() : types;
        Timestamp now = Timestamp.from(Instant.now());
        return withTransaction(c -> OperationRows.require(c,
                OperationRows.insert(c, integration, kind, trigger, preview, covered, undoOf, now)));
    }

    @Override
    public Operation updateOperation(long operationId, OperationStatus status, String message) {
        if (status == null) {
            throw new StoreException("operation " + operationId + " needs a status");
        }
        Timestamp now = Timestamp.from(Instant.now());
        return withTransaction(c -> {
            Operation current = OperationRows.require(c, operationId);
            Timestamp started = status == OperationStatus.RUNNING && current.started() == null ? now : null;
            Timestamp finished = status.finished() && !current.status().finished() ? now : null;
            OperationRows.update(c, operationId, status, message, started, finished);
            return OperationRows.require(c, operationId);
        });
    }

    @Override
    public void updateProgress(long operationId, long processed, long expected) {
        withTransaction(c -> {
            OperationRows.progress(c, operationId, processed, expected);
            return null;
        });
    }

    @Override
    public void setCounts(long operationId, List<Count> counts) {
        withTransaction(c -> {
            OperationRows.requireExists(c, operationId);
            OperationRows.replaceCounts(c, operationId, counts == null ? List.of() : counts);
            return null;
        });
    }

    @Override
    public Optional<Operation> operation(long operationId) {
        return withConnection(c -> OperationRows.read(c, operationId));
    }

    /** Newest first; at most {@value #MAX_OPERATIONS} per call. */
    @Override
    public List<Operation> operations(int offset, int limit) {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("offset must be >= 0 and limit >= 1");
        }
        return withConnection(c -> OperationRows.page(c, offset, Math.min(limit, MAX_OPERATIONS)));
    }

    /** The newest operation of the integration that COMPLETED and was not a preview. */
    @Override
    public Optional<Operation> latestApplied(String integration) {
        if (integration == null) {
            return Optional.empty();
        }
        return withConnection(c -> OperationRows.latestApplied(c, integration));
    }

    @Override
    public void appendLog(long operationId, List<LogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        entries.forEach(LogLines::check);
        List<LogLines.Reservation> reserved = new ArrayList<>();
        try {
            withTransaction(c -> {
                OperationRows.requireExists(c, operationId);
                appendLines(c, operationId, entries, reserved);
                return null;
            });
        } catch (RuntimeException e) {
            reserved.forEach(logLines::release);
            throw e;
        }
    }

    @Override
    public ResultPage<LogEntry> log(long operationId, LogQuery query) {
        return withConnection(c -> LogLines.page(c, operationId, query));
    }

    @Override
    public void forEachLog(long operationId, LogQuery filter, Consumer<LogEntry> consumer) {
        LogQuery f = filter == null ? LogQuery.all(0, 1) : filter;
        // Page by seq so that no statement stays open while the consumer works (it may write a download).
        long after = 0;
        List<LogEntry> page;
        do {
            long from = after;
            page = withConnection(c -> LogLines.after(c, operationId, f, from, PAGE));
            page.forEach(consumer);
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).seq();
            }
        } while (page.size() == PAGE);
    }

    @Override
    public List<Long> touchedLater(long operationId, int limit) {
        if (limit < 1) {
            return List.of();
        }
        return withConnection(c -> LogLines.touchedLater(c, operationId, limit));
    }

    @Override
    public Optional<String> state(String integration, String key) {
        if (integration == null || key == null) {
            return Optional.empty();
        }
        return withConnection(c -> IntegrationState.get(c, integration, key));
    }

    @Override
    public void setState(String integration, String key, String value) {
        Map<String, String> one = java.util.Collections.singletonMap(key, value);
        IntegrationState.check(integration, one);
        Timestamp now = Timestamp.from(Instant.now());
        withTransaction(c -> {
            IntegrationState.put(c, integration, one, now);
            return null;
        });
    }

    @Override
    public IntegrationFootprint footprint(String integration) {
        return withConnection(c -> footprint(c, integration));
    }

    private static IntegrationFootprint footprint(Connection c, String integration) throws SQLException {
        return new IntegrationFootprint(integration,
                count(c, "SELECT COUNT(*) FROM patron WHERE integration = ?", integration),
                count(c, "SELECT COUNT(*) FROM site WHERE provider_id IS NOT NULL", null),
                count(c, "SELECT COUNT(*) FROM integration_state WHERE integration = ?", integration));
    }

    private static long count(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            if (arg != null) {
                p.setString(1, arg);
            }
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    @Override
    public IntegrationFootprint clearIntegration(String integration) {
        Timestamp now = Timestamp.from(Instant.now());
        return withTransaction(c -> {
            IntegrationFootprint before = footprint(c, integration);
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE patron SET guid = NULL, integration = NULL, roster_digest = NULL, updated_at = ?"
                    + " WHERE integration = ?")) {
                p.setTimestamp(1, now);
                p.setString(2, integration);
                p.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE site SET provider_id = NULL WHERE provider_id IS NOT NULL");
            }
            IntegrationState.clear(c, integration);
            return before;
        });
    }

    @Override
    public void clearState(String integration) {
        withTransaction(c -> {
            IntegrationState.clear(c, integration);
            return null;
        });
    }

    @Override
    public int interruptUnfinished() {
        Timestamp now = Timestamp.from(Instant.now());
        return withTransaction(c -> OperationRows.interruptUnfinished(c, now));
    }

    /** One transaction per operation, so that purging many long logs holds no lock for long. */
    @Override
    public int purgeFinishedBefore(Instant cutoff) {
        List<Long> ids = withConnection(c -> OperationRows.finishedBefore(c, Timestamp.from(cutoff)));
        for (long id : ids) {
            withTransaction(c -> {
                OperationRows.delete(c, id);
                return null;
            });
            logLines.forget(id);
        }
        return ids.size();
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withConnection(Work<T> work) {
        Connection c = null;
        try {
            c = db.connection();
            return work.run(c);
        } catch (SQLException e) {
            if ("40XL1".equals(e.getSQLState())) {
                throw new StoreException("the patron store is busy: another transaction (a first sync loading every"
                        + " patron, say) held what this needs for too long; try again when it has finished", e);
            }
            throw new StoreException("patron store: " + e.getMessage(), e);
        } finally {
            if (c != null) {
                db.release(c);
            }
        }
    }

    private <T> T withTransaction(Work<T> work) {
        return withConnection(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    private long queryLong(String sql) {
        return withConnection(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    private static void bindAll(PreparedStatement p, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Integer n) {
                p.setInt(i + 1, n);
            } else {
                p.setString(i + 1, (String) a);
            }
        }
    }

    private static PatronType type(String code) {
        return PatronType.parse(code).orElse(PatronType.STUDENT);
    }

    private static int inSize(int n) {
        for (int s : IN_SIZES) {
            if (n <= s) {
                return s;
            }
        }
        return IN_SIZES[IN_SIZES.length - 1];
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
