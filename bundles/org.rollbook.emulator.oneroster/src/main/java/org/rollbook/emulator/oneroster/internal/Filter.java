package org.rollbook.emulator.oneroster.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OneRoster filter: {@code field op 'value' ( (AND|OR) field op 'value' )*}, ops {@code = != > >= < <= ~}.
 * No parentheses; AND binds tighter than OR (ClassLink precedence, ref §2.7 [OBS]).
 */
final class Filter {

    static final class Clause {
        final String field, op, value;
        final String[] path;
        final boolean date;
        final Instant valueInstant;
        String lastV;
        Instant lastI;

        Clause(String field, String[] path, String op, String value) {
            this.field = field; this.path = path; this.op = op; this.value = value;
            this.date = DATE_FIELDS.contains(path[path.length - 1]);
            this.valueInstant = date ? instant(value) : null;
        }

        /** Memoized: most rows share the import timestamp. Filters are per request, so no sharing across threads. */
        Instant rowInstant(String v) {
            if (!v.equals(lastV)) { lastV = v; lastI = instant(v); }
            return lastI;
        }
    }

    final List<List<Clause>> anyOf; // OR of AND-groups
    final int clauses;

    private Filter(List<List<Clause>> anyOf, int clauses) { this.anyOf = anyOf; this.clauses = clauses; }

    static final class FilterException extends Exception {
        FilterException(String m) { super(m); }
    }

    static final Set<String> DATE_FIELDS = Set.of("dateLastModified", "birthDate", "beginDate", "endDate", "startDate");

    static Filter parse(String s) throws FilterException {
        List<List<Clause>> groups = new ArrayList<>();
        List<Clause> group = new ArrayList<>();
        int i = 0, n = s.length(), count = 0;
        while (true) {
            while (i < n && s.charAt(i) == ' ') i++;
            int fs = i;
            while (i < n && "=!<>~ ".indexOf(s.charAt(i)) < 0) i++;
            String field = s.substring(fs, i).trim();
            while (i < n && s.charAt(i) == ' ') i++;
            if (field.isEmpty()) throw new FilterException("missing field name at " + fs);
            String op;
            if (s.startsWith("!=", i) || s.startsWith(">=", i) || s.startsWith("<=", i)) op = s.substring(i, i + 2);
            else if (i < n && "=<>~".indexOf(s.charAt(i)) >= 0) op = s.substring(i, i + 1);
            else throw new FilterException("missing operator after '" + field + "'");
            i += op.length();
            while (i < n && s.charAt(i) == ' ') i++;
            if (i >= n || (s.charAt(i) != '\'' && s.charAt(i) != '"')) throw new FilterException("value of '" + field + "' must be quoted");
            char q = s.charAt(i++);
            StringBuilder v = new StringBuilder();
            while (true) {
                if (i >= n) throw new FilterException("unterminated value for '" + field + "'");
                char c = s.charAt(i++);
                if (c == q) {
                    if (i < n && s.charAt(i) == q) { v.append(q); i++; continue; }
                    break;
                }
                v.append(c);
            }
            group.add(new Clause(field, field.split("\\."), op, v.toString()));
            count++;
            while (i < n && s.charAt(i) == ' ') i++;
            if (i >= n) break;
            int ks = i;
            while (i < n && s.charAt(i) != ' ') i++;
            String kw = s.substring(ks, i).toUpperCase(Locale.ROOT);
            if (kw.equals("OR")) { groups.add(group); group = new ArrayList<>(); }
            else if (!kw.equals("AND")) throw new FilterException("expected AND or OR at " + ks);
        }
        groups.add(group);
        return new Filter(groups, count);
    }

    /** First unknown top-level field, or null. */
    String unknownField(Set<String> fields) {
        for (List<Clause> g : anyOf) for (Clause c : g) if (!fields.contains(c.path[0])) return c.field;
        return null;
    }

    boolean test(Tables.Row row, Tables.Render r) {
        ObjectNode[] json = new ObjectNode[1];
        for (List<Clause> g : anyOf) {
            boolean all = true;
            for (Clause c : g) if (!test(c, row, r, json)) { all = false; break; }
            if (all) return true;
        }
        return false;
    }

    private static boolean test(Clause c, Tables.Row row, Tables.Render r, ObjectNode[] json) {
        List<String> values = new ArrayList<>(2);
        String sc = c.path.length == 1 ? row.scalar(c.field) : null;
        if (sc != null) values.add(sc);
        else {
            if (json[0] == null) json[0] = row.json(r);
            collect(json[0], c.path, 0, values);
        }
        if (c.op.equals("!=")) {
            for (String v : values) if (compare(c, v) == 0) return false;
            return true;
        }
        for (String v : values) {
            if (c.op.equals("~")) {
                if (v.toLowerCase(Locale.ROOT).contains(c.value.toLowerCase(Locale.ROOT))) return true;
                continue;
            }
            int cmp = compare(c, v);
            boolean ok = switch (c.op) {
                case "=" -> cmp == 0;
                case ">" -> cmp > 0;
                case ">=" -> cmp >= 0;
                case "<" -> cmp < 0;
                default -> cmp <= 0;
            };
            if (ok) return true;
        }
        return false;
    }

    private static void collect(JsonNode n, String[] path, int k, List<String> out) {
        if (n == null || n.isNull()) return;
        if (n.isArray()) { for (JsonNode e : n) collect(e, path, k, out); return; }
        if (k == path.length) { if (n.isValueNode()) out.add(n.asText()); return; }
        collect(n.get(path[k]), path, k + 1, out);
    }

    private static int compare(Clause c, String v) {
        if (c.date) {
            Instant a = c.rowInstant(v), b = c.valueInstant;
            if (a != null && b != null) return a.compareTo(b);
        }
        return v.compareTo(c.value);
    }

    /** Lenient: date-only, date-time with/without millis, with/without Z, space separator (ref P4). */
    static Instant instant(String s) {
        if (s == null || s.isEmpty()) return null;
        try {
            String t = s.trim().replace(' ', 'T');
            if (t.length() == 10) return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$")) return java.time.OffsetDateTime.parse(t).toInstant();
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
