package org.rollbook.store.derby.internal;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.derby.vti.VTITemplate;

/**
 * The table functions of a load, {@code load_patrons(handle)} (schema V6) and {@code load_log_lines(handle)}
 * (V7): Derby pulls the rows from the iterator registered under the handle, one {@code Object[]} per row in
 * the function's column order (Long, String, Timestamp, Date and Short values, null for none). Public for
 * Derby, which calls {@link #rows(long)} by name with this bundle's class loader.
 */
public final class PatronLoad {

    private static final Map<Long, Iterator<Object[]>> SOURCES = new ConcurrentHashMap<>();
    private static final AtomicLong HANDLES = new AtomicLong();

    private PatronLoad() {
    }

    static long register(Iterator<Object[]> rows) {
        long handle = HANDLES.incrementAndGet();
        SOURCES.put(handle, rows);
        return handle;
    }

    static void unregister(long handle) {
        SOURCES.remove(handle);
    }

    /** Called by Derby for {@code TABLE(load_patrons(?))}. */
    public static ResultSet rows(long handle) throws SQLException {
        Iterator<Object[]> rows = SOURCES.get(handle);
        if (rows == null) {
            throw new SQLException("no load is registered as " + handle);
        }
        return new Rows(rows);
    }

    private static final class Rows extends VTITemplate {
        private final Iterator<Object[]> rows;
        private Object[] row;
        private boolean wasNull;

        Rows(Iterator<Object[]> rows) {
            this.rows = rows;
        }

        @Override
        public boolean next() {
            if (!rows.hasNext()) {
                row = null;
                return false;
            }
            row = rows.next();
            return true;
        }

        private Object value(int column) throws SQLException {
            if (row == null || column < 1 || column > row.length) {
                throw new SQLException("no column " + column + " in the current row");
            }
            Object v = row[column - 1];
            wasNull = v == null;
            return v;
        }

        @Override
        public String getString(int column) throws SQLException {
            return (String) value(column);
        }

        @Override
        public long getLong(int column) throws SQLException {
            Object v = value(column);
            return v == null ? 0 : (Long) v;
        }

        @Override
        public short getShort(int column) throws SQLException {
            Object v = value(column);
            return v == null ? 0 : (Short) v;
        }

        @Override
        public Date getDate(int column) throws SQLException {
            return (Date) value(column);
        }

        @Override
        public Timestamp getTimestamp(int column) throws SQLException {
            return (Timestamp) value(column);
        }

        @Override
        public boolean wasNull() {
            return wasNull;
        }

        @Override
        public void close() {
            row = null;
        }
    }
}
