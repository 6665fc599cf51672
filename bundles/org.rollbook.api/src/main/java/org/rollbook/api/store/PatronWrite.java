package org.rollbook.api.store;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;

/**
 * One patron to create ({@code patronId == 0}) or update. {@code values} holds the fields to set; a
 * field mapped to null or blank is erased. Fields not in {@code values} are left as they are. When
 * GUID is set, the patron is linked to {@code integration}; when GUID is erased, it is unlinked.
 */
public record PatronWrite(long patronId, PatronType type, String policy, String integration,
        Map<PatronField, String> values) {

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
        return new PatronWrite(0, Objects.requireNonNull(type), policy, integration, values);
    }

    public static PatronWrite update(long patronId, String integration, Map<PatronField, String> values) {
        if (patronId <= 0) {
            throw new IllegalArgumentException("an update needs a patron id");
        }
        return new PatronWrite(patronId, null, null, integration, values);
    }

    public boolean isCreate() {
        return patronId == 0;
    }
}
