package org.rollbook.store.derby.internal;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;

import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronStatus;
import org.rollbook.api.store.StoreException;

/** How each numbered patron field is held in the {@code patron} table, and the checks on the way in. */
final class PatronColumns {

    private record Column(String name, int maxLength) {
    }

    private static final Map<PatronField, Column> COLUMNS = new EnumMap<>(PatronField.class);

    static {
        put(PatronField.GUID, "guid", 255);
        put(PatronField.BARCODE, "barcode", 255);
        put(PatronField.COMMUNITY_ID, "community_id", 255);
        put(PatronField.FIRST_NAME, "first_name", 255);
        put(PatronField.MIDDLE_NAME, "middle_name", 255);
        put(PatronField.LAST_NAME, "last_name", 255);
        put(PatronField.BIRTHDATE, "birthdate", 10);
        put(PatronField.SEX, "sex", 1);
        put(PatronField.ADDRESS, "address", 500);
        put(PatronField.CITY, "city", 255);
        put(PatronField.STATE, "state", 100);
        put(PatronField.POSTAL_CODE, "postal_code", 40);
        put(PatronField.PHONE, "phone", 100);
        put(PatronField.EMAIL, "email", 320);
        put(PatronField.ADDITIONAL_CONTACT, "additional_contact", 2000);
        put(PatronField.OTHER_EMAILS, "other_emails", 2000);
        put(PatronField.LOCATION, "location", 255);
        put(PatronField.LEVEL, "level", 40);
        put(PatronField.USERNAME, "username", 255);
        put(PatronField.SITE, "site", 100);
        put(PatronField.STATUS, "status", 1);
        if (COLUMNS.size() != PatronField.values().length) {
            throw new IllegalStateException("every patron field needs a column");
        }
    }

    private PatronColumns() {
    }

    private static void put(PatronField f, String column, int maxLength) {
        COLUMNS.put(f, new Column(column, maxLength));
    }

    static String column(PatronField f) {
        return COLUMNS.get(f).name();
    }

    /** The value as it will be stored: trimmed, null for blank, checked against the column. */
    static String normalize(PatronField f, String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.isEmpty()) {
            return null;
        }
        switch (f) {
            case BIRTHDATE -> {
                try {
                    LocalDate.parse(v);
                } catch (DateTimeParseException e) {
                    throw new StoreException("birthdate '" + v + "' is not an ISO date (YYYY-MM-DD)");
                }
            }
            case SEX -> {
                if (!v.equals("M") && !v.equals("F") && !v.equals("X")) {
                    throw new StoreException("sex '" + v + "' is not M, F or X");
                }
            }
            case STATUS -> {
                if (PatronStatus.ofFieldValue(v).isEmpty()) {
                    throw new StoreException("status '" + v + "' is not 1, 2, 3 or 4");
                }
            }
            default -> {
                int max = COLUMNS.get(f).maxLength();
                if (v.length() > max) {
                    throw new StoreException(f.label() + " is longer than " + max + " characters: '"
                            + v.substring(0, 40) + "...'");
                }
            }
        }
        return v;
    }

    /** An already normalized value as its column holds it: a Date, a Short (status; none is Active) or the text. */
    static Object value(PatronField f, String value) {
        return switch (f) {
            case BIRTHDATE -> value == null ? null : Date.valueOf(LocalDate.parse(value));
            case STATUS -> (short) PatronStatus.ofFieldValue(value).orElse(PatronStatus.ACTIVE).code();
            default -> value;
        };
    }

    /** The column's JDBC type. */
    static int sqlType(PatronField f) {
        return switch (f) {
            case BIRTHDATE -> Types.DATE;
            case STATUS -> Types.SMALLINT;
            default -> Types.VARCHAR;
        };
    }

    /** Binds an already normalized value. */
    static void bind(PreparedStatement p, int index, PatronField f, String value) throws SQLException {
        Object v = value(f, value);
        if (v == null) {
            p.setNull(index, sqlType(f));
        } else {
            p.setObject(index, v, sqlType(f));
        }
    }

    /** Reads a field from a result set holding its column; null when blank. */
    static String read(ResultSet r, PatronField f) throws SQLException {
        String column = column(f);
        return switch (f) {
            case BIRTHDATE -> {
                Date d = r.getDate(column);
                yield d == null ? null : d.toLocalDate().toString();
            }
            case STATUS -> Integer.toString(r.getShort(column));
            default -> r.getString(column);
        };
    }

    /** "1007:12;1019:40": field number → id of the operation that last wrote it. */
    static Map<PatronField, Long> parseProvenance(String text) {
        Map<PatronField, Long> out = new EnumMap<>(PatronField.class);
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String part : text.split(";")) {
            int colon = part.indexOf(':');
            if (colon > 0) {
                try {
                    PatronField.byNumber(Integer.parseInt(part.substring(0, colon)))
                            .ifPresent(f -> out.put(f, Long.parseLong(part.substring(colon + 1))));
                } catch (NumberFormatException ignored) {
                    // an unreadable entry carries no provenance
                }
            }
        }
        return out;
    }

    static String formatProvenance(Map<PatronField, Long> provenance) {
        StringBuilder b = new StringBuilder();
        provenance.forEach((f, op) -> {
            if (b.length() > 0) {
                b.append(';');
            }
            b.append(f.number()).append(':').append(op);
        });
        return b.toString();
    }
}
