package org.rollbook.connector.classlink.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.rollbook.api.patron.PatronType;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterState;
import org.rollbook.http.JsonPaths;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * OneRoster users as roster records: the user JSON flattened ({@code orgs[0].sourcedId}, {@code grades[0]}), plus
 * the joined values classlink.json reads: {@code demographics.birthDate/sex}, {@code agents[i].givenName/
 * familyName/email} and {@code homeroom.classCode/location/teacher}.
 */
final class Users {

    /** Separator inside the packed join strings (never in names or emails). */
    static final char SEP = '\u001f';

    /** Precedence when a (1.2) user holds several roles: each person comes once. */
    static final List<PatronType> PRECEDENCE = List.of(PatronType.STUDENT, PatronType.TEACHER, PatronType.STAFF);

    private Users() {
    }

    /** The record type of a OneRoster role, or null for roles that are not patrons (parents, proctors, unknown). */
    static PatronType typeOfRole(String role) {
        if (role == null) {
            return null;
        }
        switch (role.strip().toLowerCase(Locale.ROOT)) {
            case "student":
                return PatronType.STUDENT;
            case "teacher":
            case "aide":
                return PatronType.TEACHER;
            case "administrator":
            case "principal":
            case "siteadministrator":
            case "districtadministrator":
            case "systemadministrator":
                return PatronType.STAFF;
            default:
                return null;
        }
    }

    /** The type the user is synced as among the requested ones (1.1 {@code role}, 1.2 {@code roles[].role}). */
    static PatronType typeOf(JsonNode user, Set<PatronType> requested) {
        PatronType best = null;
        if (user.path("role").isTextual()) {
            best = typeOfRole(user.get("role").asText());
        }
        for (JsonNode r : user.path("roles")) {
            PatronType t = typeOfRole(r.path("role").asText(null));
            if (t != null && requested.contains(t) && (best == null || !requested.contains(best)
                    || PRECEDENCE.indexOf(t) < PRECEDENCE.indexOf(best))) {
                best = t;
            }
        }
        return best != null && requested.contains(best) ? best : null;
    }

    static boolean deleted(JsonNode n) {
        String s = n.path("status").asText("").strip().toLowerCase(Locale.ROOT);
        return s.equals("tobedeleted") || s.equals("inactive") || s.equals("deleted");
    }

    static String id(JsonNode n) {
        JsonNode id = n.get("sourcedId");
        if (id == null || !(id.isTextual() || id.isNumber()) || id.asText().isBlank()) {
            return null;
        }
        return id.asText();
    }

    /** The record, or null when the user cannot be read (no sourcedId). */
    static RosterRecord record(JsonNode user, PatronType type, Joins joins) {
        String id = id(user);
        if (id == null) {
            return null;
        }
        Map<String, String> values = JsonPaths.flatten(user);
        values.remove("password"); // never carried further
        JsonNode grades = user.get("grades");
        if (grades != null && grades.isTextual() && grades.asText().contains(",")) {
            values.remove("grades");
            String[] g = grades.asText().split(",");
            for (int i = 0; i < g.length; i++) {
                values.put("grades[" + i + "]", g[i].strip());
            }
        }
        String demo = joins.demographics(id);
        if (demo != null) {
            String[] d = split(demo, 2);
            values.put("demographics.birthDate", d[0]);
            values.put("demographics.sex", d[1]);
        }
        JsonNode agents = user.path("agents");
        for (int i = 0; i < agents.size(); i++) {
            String parent = joins.parent(agents.get(i).path("sourcedId").asText(""));
            if (parent != null) {
                String[] p = split(parent, 3);
                values.put("agents[" + i + "].givenName", p[0]);
                values.put("agents[" + i + "].familyName", p[1]);
                values.put("agents[" + i + "].email", p[2]);
            }
        }
        String homeroom = joins.homeroom(id);
        if (homeroom != null) {
            String[] h = split(homeroom, 3);
            values.put("homeroom.classCode", h[0]);
            values.put("homeroom.location", h[1]);
            values.put("homeroom.teacher", h[2]);
        }
        return new RosterRecord(id, type, deleted(user) ? RosterState.DELETED : RosterState.ACTIVE, values);
    }

    static String pack(String... parts) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                b.append(SEP);
            }
            b.append(parts[i] == null ? "" : parts[i].strip());
        }
        return b.toString();
    }

    static String[] split(String packed, int n) {
        String[] out = new String[n];
        int from = 0;
        for (int i = 0; i < n; i++) {
            int to = i == n - 1 ? -1 : packed.indexOf(SEP, from);
            out[i] = to < 0 ? packed.substring(Math.min(from, packed.length())) : packed.substring(from, to);
            from = to < 0 ? packed.length() : to + 1;
        }
        return out;
    }

    /** Text of a scalar, "" for absent/null. */
    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? "" : v.asText("").strip();
    }
}
