package org.rollbook.api.store;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.sync.LogEntry;

/**
 * One patron to create ({@code patronId == 0}) or update. {@code values} holds the fields to set; a
 * field mapped to null or blank is erased. Fields not in {@code values} are left as they are. When
 * GUID is set, the patron is linked to {@code integration}; when GUID is erased, it is unlinked.
 * {@code log}, when present, is the operation log line that describes this write: the store records it
 * in the same transaction, with the patron's id filled in for a create.
 * <p>
 * {@code rosterDigest}, when present, says that after this write the patron agrees with the roster record of
 * that digest: the store keeps it with the patron ({@link PatronKeys#rosterDigest()}) so that the next sync can
 * tell an unchanged record without reading the patron. A write without one forgets the patron's digest.
 */
public record PatronWrite(long patronId, PatronType type, String policy, String integration,
        Map<PatronField, String> values, LogEntry log, String rosterDigest) {

    public PatronWrite(long patronId, PatronType type, String policy, String integration,
            Map<PatronField, String> values, LogEntry log) {
        this(patronId, type, policy, integration, values, log, null);
    }

    public PatronWrite {
        if (patronId < 0) {
            throw new IllegalArgumentException("patron id must not be negative");
        }
        if (patronId == 0 && type == null) {
            throw new IllegalArgumentException("a new patron needs a type");
        }
        EnumMap<PatronField, String> copy = new EnumMap<>(PatronField.class);
        copy.putAll(values);
        values = Collections.unmodifiableMap(copy);
    }

    public static PatronWrite create(PatronType type, String policy, String integration,
            Map<PatronField, String> values) {
        return new PatronWrite(0, Objects.requireNonNull(type), policy, integration, values, null);
    }

    public static PatronWrite update(long patronId, String integration, Map<PatronField, String> values) {
        if (patronId <= 0) {
            throw new IllegalArgumentException("an update needs a patron id");
        }
        return new PatronWrite(patronId, null, null, integration, values, null);
    }

    public PatronWrite withLog(LogEntry entry) {
        return new PatronWrite(patronId, type, policy, integration, values, entry, rosterDigest);
    }

    /** This write, saying the patron agrees with the roster record of {@code digest} afterwards (null: it may not). */
    public PatronWrite withRosterDigest(String digest) {
        return new PatronWrite(patronId, type, policy, integration, values, log, digest);
    }

    public boolean isCreate() {
        return patronId == 0;
    }
}
