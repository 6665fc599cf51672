package org.rollbook.store.derby.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;
import java.util.Optional;

import org.rollbook.api.store.StoreException;

/** The {@code integration_state} table: per integration, key → value (cursors, checkpoints). */
final class IntegrationState {

    static final int KEY_LENGTH = 200;
    static final int VALUE_LENGTH = 32000;

    private IntegrationState() {
    }

    /** Checks what {@link #put} would refuse, before a transaction starts. */
    static void check(String integration, Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        if (integration == null || integration.isBlank() || integration.length() > OperationRows.INTEGRATION_LENGTH) {
            throw new StoreException("integration state needs an integration name of at most "
                    + OperationRows.INTEGRATION_LENGTH + " characters");
        }
        values.forEach((key, value) -> {
            if (key == null || key.isBlank() || key.length() > KEY_LENGTH) {
                throw new StoreException("state of " + integration + ": a key must have 1 to " + KEY_LENGTH
                        + " characters");
            }
            if (value != null && value.length() > VALUE_LENGTH) {
                throw new StoreException("state " + key + " of " + integration + " is longer than " + VALUE_LENGTH
                        + " characters");
            }
        });
    }

    static Optional<String> get(Connection c, String integration, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT state_value FROM integration_state WHERE integration = ? AND state_key = ?")) {
            p.setString(1, integration);
            p.setString(2, key);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    /** Sets each value (update, else insert); a null value removes its key. */
    static void put(Connection c, String integration, Map<String, String> values, Timestamp now) throws SQLException {
        if (values.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM integration_state WHERE integration = ? AND state_key = ?");
                PreparedStatement update = c.prepareStatement("UPDATE integration_state SET state_value = ?,"
                        + " updated_at = ? WHERE integration = ? AND state_key = ?");
                PreparedStatement insert = c.prepareStatement("INSERT INTO integration_state (state_value, updated_at,"
                        + " integration, state_key) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<String, String> e : values.entrySet()) {
                if (e.getValue() == null) {
                    delete.setString(1, integration);
                    delete.setString(2, e.getKey());
                    delete.executeUpdate();
                    continue;
                }
                bind(update, e.getValue(), now, integration, e.getKey());
                if (update.executeUpdate() == 0) {
                    bind(insert, e.getValue(), now, integration, e.getKey());
                    insert.executeUpdate();
                }
            }
        }
    }

    static void clear(Connection c, String integration) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM integration_state WHERE integration = ?")) {
            p.setString(1, integration);
            p.executeUpdate();
        }
    }

    private static void bind(PreparedStatement p, String value, Timestamp now, String integration, String key)
            throws SQLException {
        p.setString(1, value);
        p.setTimestamp(2, now);
        p.setString(3, integration);
        p.setString(4, key);
    }
}
