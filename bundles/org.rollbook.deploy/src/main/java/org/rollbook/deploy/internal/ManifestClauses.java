package org.rollbook.deploy.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OSGi manifest header (e.g. {@code Provide-Capability}) split into clauses: names, attributes
 * ({@code name[:Type]=value}, quotes removed, the type dropped) and directives ({@code name:=value}).
 */
record ManifestClauses(List<Clause> clauses) {

    record Clause(List<String> names, Map<String, String> attributes, Map<String, String> directives) {
    }

    static ManifestClauses parse(String header) {
        List<Clause> out = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return new ManifestClauses(out);
        }
        for (String clause : split(header, ',')) {
            List<String> names = new ArrayList<>();
            Map<String, String> attributes = new LinkedHashMap<>();
            Map<String, String> directives = new LinkedHashMap<>();
            for (String part : split(clause, ';')) {
                int eq = indexOutsideQuotes(part, '=');
                if (eq < 0) {
                    if (!part.isBlank()) {
                        names.add(part.strip());
                    }
                    continue;
                }
                String key = part.substring(0, eq).strip();
                String value = unquote(part.substring(eq + 1).strip());
                if (key.endsWith(":")) {
                    directives.put(key.substring(0, key.length() - 1).strip(), value);
                } else {
                    int colon = key.indexOf(':');
                    attributes.put((colon < 0 ? key : key.substring(0, colon)).strip(), value);
                }
            }
            out.add(new Clause(names, attributes, directives));
        }
        return new ManifestClauses(out);
    }

    /** Whether a clause of {@code namespace} has {@code attribute} listing {@code value} (a List attribute or a single value). */
    boolean declares(String namespace, String attribute, String value) {
        for (Clause c : clauses) {
            if (c.names().contains(namespace)) {
                String v = c.attributes().get(attribute);
                if (v != null && List.of(v.split(",")).stream().map(String::strip).anyMatch(value::equals)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\\' && quoted && i + 1 < text.length()) {
                current.append(ch).append(text.charAt(++i));
                continue;
            }
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(ch);
        }
        parts.add(current.toString());
        return parts;
    }

    private static int indexOutsideQuotes(String text, char wanted) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\\' && quoted) {
                i++;
            } else if (ch == '"') {
                quoted = !quoted;
            } else if (ch == wanted && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static String unquote(String value) {
        if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
            return value;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < value.length() - 1; i++) {
            char ch = value.charAt(i);
            if (ch == '\\' && i + 1 < value.length() - 1) {
                ch = value.charAt(++i);
            }
            out.append(ch);
        }
        return out.toString();
    }
}
