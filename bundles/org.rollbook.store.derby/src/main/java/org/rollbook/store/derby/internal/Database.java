package org.rollbook.store.derby.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.apache.derby.jdbc.EmbeddedDriver;
import org.rollbook.api.store.StoreException;

/**
 * The embedded Derby database under a data directory: boots it (creating it on first start), brings
 * its schema up to date with the versioned migrations, hands out connections and shuts the engine
 * down. Every failure to open says, in one line, what is wrong and where.
 */
final class Database implements AutoCloseable {

    /** Migrations in order; the schema version is the number of migrations applied. */
    static final List<String> MIGRATIONS = List.of("V1__patrons_and_sites.sql", "V2__operations.sql",
            "V3__roster_digest.sql", "V4__fewer_patron_indexes.sql", "V5__fewer_log_indexes.sql",
            "V6__patron_load.sql", "V7__log_load.sql");

    static final int SCHEMA_VERSION = MIGRATIONS.size();

    private static final int IDLE_CONNECTIONS = 4;

    private final Path directory;
    private final String url;
    private final EmbeddedDriver driver;
    private final BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(IDLE_CONNECTIONS);
    private volatile boolean closed;
    private final int schemaVersion;

    /**
     * @param dataDirectory where Rollbook keeps its data; the database is its {@code patrons} folder
     * @param pageCacheSize Derby's page cache in 4 KiB pages
     */
    Database(Path dataDirectory, int pageCacheSize) {
        this.directory = dataDirectory.toAbsolutePath().normalize();
        prepareDirectory(directory);
        Path db = directory.resolve("patrons");
        // Derby reads these once, when the engine boots: keep its log with the data, not in the working directory.
        System.setProperty("derby.stream.error.file", directory.resolve("derby.log").toString());
        System.setProperty("derby.storage.pageCacheSize", Integer.toString(pageCacheSize));
        System.setProperty("derby.language.statementCacheSize", "500");
        this.url = "jdbc:derby:" + db;
        this.driver = new EmbeddedDriver(); // (re)boots the engine if an earlier close shut it down
        boolean existed = Files.isDirectory(db);
        try (Connection c = open(existed ? url : url + ";create=true")) {
            this.schemaVersion = migrate(c);
        } catch (SQLException e) {
            shutdownEngine();
            throw new StoreException(openFailure(db, e), e);
        } catch (RuntimeException e) {
            shutdownEngine();
            throw e;
        }
    }

    Path directory() {
        return directory;
    }

    int schemaVersion() {
        return schemaVersion;
    }

    boolean isOpen() {
        return !closed;
    }

    /** A connection with auto-commit on; give it back with {@link #release(Connection)}. */
    Connection connection() throws SQLException {
        if (closed) {
            throw new StoreException("the patron store is closed");
        }
        Connection c = idle.poll();
        if (c != null && !c.isClosed()) {
            return c;
        }
        return open(url);
    }

    void release(Connection c) {
        try {
            if (c.isClosed()) {
                return;
            }
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            if (closed || !idle.offer(c)) {
                c.close();
            }
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken; nothing more to release
            }
        }
    }

    /** Shuts the database and the whole Derby engine down: the engine belongs to this bundle's class loader. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Connection c;
        while ((c = idle.poll()) != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        shutdownEngine();
    }

    private Connection open(String jdbcUrl) throws SQLException {
        Connection c = driver.connect(jdbcUrl, new Properties());
        if (c == null) {
            throw new SQLException("Derby did not accept " + jdbcUrl);
        }
        return c;
    }

    private void shutdownEngine() {
        try {
            driver.connect("jdbc:derby:;shutdown=true", new Properties());
        } catch (SQLException expected) {
            // XJ015 is Derby's normal answer to an engine shutdown
        }
    }

    private static void prepareDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new StoreException("cannot create the data directory " + dir + ": " + describe(e));
        }
        if (!Files.isDirectory(dir)) {
            throw new StoreException("the data directory " + dir + " is not a directory");
        }
        if (!Files.isWritable(dir)) {
            throw new StoreException("the data directory " + dir + " is not writable");
        }
        Path probe = dir.resolve(".write-check");
        try {
            Files.writeString(probe, "ok");
            Files.delete(probe);
        } catch (IOException e) {
            throw new StoreException("the data directory " + dir + " is not writable: " + describe(e));
        }
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            // its message repeats the path; the reason alone reads better after ours
            return f.getReason() != null ? f.getReason().toLowerCase(java.util.Locale.ROOT)
                    : f instanceof java.nio.file.FileAlreadyExistsException ? "a file is in the way"
                    : f instanceof java.nio.file.AccessDeniedException ? "permission denied" : f.getClass().getSimpleName();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String openFailure(Path db, SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "XSDB6".equals(s.getSQLState())) {
                return "the database " + db + " is in use by another Rollbook process (stop it first)";
            }
            if (t instanceof StoreException s) {
                return s.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return "cannot open the database " + db + " (damaged, or not a Rollbook database?): " + firstLine(detail);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Applies the migrations this database lacks, each in its own transaction; returns the version. */
    private int migrate(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try {
            int current = currentVersion(c);
            if (current > SCHEMA_VERSION) {
                throw new StoreException("the database " + directory.resolve("patrons") + " has schema version "
                        + current + ", newer than this Rollbook understands (" + SCHEMA_VERSION
                        + "); run a newer Rollbook or restore a backup");
            }
            for (int v = current + 1; v <= SCHEMA_VERSION; v++) {
                String name = MIGRATIONS.get(v - 1);
                try (Statement s = c.createStatement()) {
                    for (String sql : statements(name)) {
                        s.execute(sql);
                    }
                }
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                    p.setInt(1, v);
                    p.setString(2, name);
                    p.setTimestamp(3, Timestamp.from(Instant.now()));
                    p.executeUpdate();
                }
                c.commit();
            }
            return SCHEMA_VERSION;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static int currentVersion(Connection c) throws SQLException {
        try (ResultSet tables = c.getMetaData().getTables(null, null, "SCHEMA_VERSION", null)) {
            if (!tables.next()) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE schema_version (version INT NOT NULL PRIMARY KEY,"
                            + " description VARCHAR(200) NOT NULL, applied_at TIMESTAMP NOT NULL)");
                }
                return 0;
            }
        }
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** The statements of a migration script: split at semicolons that end a line; "--" comments dropped. */
    static List<String> statements(String migration) {
        String resource = "migrations/" + migration;
        List<String> out = new ArrayList<>();
        try (InputStream in = Database.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new StoreException("migration " + resource + " is missing from the store bundle");
            }
            StringBuilder sql = new StringBuilder();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null;) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("--")) {
                    continue;
                }
                sql.append(line).append('\n');
                if (t.endsWith(";")) {
                    out.add(sql.substring(0, sql.lastIndexOf(";")).strip());
                    sql.setLength(0);
                }
            }
            if (!sql.toString().isBlank()) {
                out.add(sql.toString().strip());
            }
        } catch (IOException e) {
            throw new StoreException("cannot read migration " + resource, e);
        }
        return out;
    }
}
