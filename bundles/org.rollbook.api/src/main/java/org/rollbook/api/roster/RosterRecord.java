package org.rollbook.api.roster;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.rollbook.api.patron.PatronType;

/**
 * One person as a roster provider delivers them, before any mapping. Provider-neutral: the connector
 * flattens the provider's object into {@code values}, keyed by the provider's attribute path
 * (Clever {@code name.first}, {@code roles.student.dob}; OneRoster {@code givenName}); list elements
 * are keyed {@code path[0]}, {@code path[1]}, ... Absent, null and {@code ""} values are left out.
 *
 * @param sourceId the provider's id of the person (becomes field 1200, GUID)
 * @param type     the record type the connector read the person as
 * @param state    whether the provider still has the person
 * @param values   flattened attribute values, never blank
 */
public record RosterRecord(String sourceId, PatronType type, RosterState state, Map<String, String> values) {

    public RosterRecord {
        if (sourceId == null || sourceId.isBlank()) {
            throw new IllegalArgumentException("a roster record needs the provider's id");
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                copy.put(k, v);
            }
        });
        values = Collections.unmodifiableMap(copy);
    }

    /** The value at a provider attribute path, or null. */
    public String get(String path) {
        return values.get(path);
    }
}
