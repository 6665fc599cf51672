package org.rollbook.connector.clever.internal;

import java.util.List;
import java.util.Set;

import org.rollbook.api.patron.PatronType;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterState;
import org.rollbook.http.JsonPaths;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Clever v3.0 users as roster records: the JSON flattened to paths ({@code name.first},
 * {@code roles.student.dob}, {@code roles.staff.schools[0]}), and one record type per person even when
 * they hold several roles.
 */
final class CleverUsers {

    /** Role precedence: a teacher who is also staff is synced as a teacher. */
    static final List<PatronType> PRECEDENCE = List.of(PatronType.STUDENT, PatronType.TEACHER, PatronType.STAFF,
            PatronType.DISTRICT_ADMIN);

    private CleverUsers() {
    }

    static String role(PatronType type) {
        return type.code(); // student, teacher, staff, district_admin are Clever's role keys too
    }

    /** The type a user is synced as among the requested ones, or null when none of its roles is requested. */
    static PatronType typeOf(JsonNode user, Set<PatronType> requested) {
        JsonNode roles = user.path("roles");
        for (PatronType t : PRECEDENCE) {
            if (requested.contains(t) && roles.hasNonNull(role(t)) && roles.get(role(t)).isObject()) {
                return t;
            }
        }
        return null;
    }

    /** The record for a user object, or null when it cannot be read (no id). */
    static RosterRecord record(JsonNode user, PatronType type, RosterState state) {
        JsonNode id = user.get("id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            return null;
        }
        return new RosterRecord(id.asText(), type, state, JsonPaths.flatten(user));
    }
}
