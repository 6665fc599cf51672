package org.rollbook.sync.internal.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a value comes from in a roster record's flattened values (MAPPING.md, "Sources"). Every path is
 * built when the mapping data is read, so reading a record only looks keys up.
 */
sealed interface ValueSource {

    /** The trimmed value, or null when the record has none. */
    String read(Map<String, String> values);

    private static String strippedOrNull(String v) {
        if (v == null) {
            return null;
        }
        String s = v.strip();
        return s.isEmpty() ? null : s;
    }

    /** The value at one path. */
    record Path(String key) implements ValueSource {
        @Override
        public String read(Map<String, String> values) {
            return strippedOrNull(values.get(key));
        }
    }

    /** The first of several sources that has a value. */
    record FirstOf(List<ValueSource> sources) implements ValueSource {
        public FirstOf {
            sources = List.copyOf(sources);
        }

        @Override
        public String read(Map<String, String> values) {
            for (ValueSource s : sources) {
                String v = s.read(values);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }
    }

    /**
     * Every element of a list: its parts joined by a space, the elements joined by {@code join}, exact repeats
     * dropped (two guardians sharing one email).
     */
    record Joined(ListPath list, List<ElementPath> parts, String join) implements ValueSource {
        public Joined {
            parts = List.copyOf(parts);
        }

        @Override
        public String read(Map<String, String> values) {
            int last = list.lastIndex(values);
            List<String> entries = null;
            for (int i = 0; i <= last; i++) {
                StringBuilder entry = null;
                for (ElementPath part : parts) {
                    String v = strippedOrNull(values.get(part.at(i)));
                    if (v != null) {
                        entry = entry == null ? new StringBuilder(v) : entry.append(' ').append(v);
                    }
                }
                if (entry != null) {
                    String e = entry.toString();
                    if (entries == null) {
                        entries = new ArrayList<>(2);
                    }
                    if (!entries.contains(e)) {
                        entries.add(e);
                    }
                }
            }
            return entries == null ? null : String.join(join, entries);
        }
    }

    /** {@code take} of the first list element whose {@code where} equals {@code wanted}, ignoring case. */
    record Lookup(ListPath list, ElementPath where, String wanted, ElementPath take) implements ValueSource {
        @Override
        public String read(Map<String, String> values) {
            int last = list.lastIndex(values);
            for (int i = 0; i <= last; i++) {
                String key = strippedOrNull(values.get(where.at(i)));
                if (key != null && key.equalsIgnoreCase(wanted)) {
                    String v = strippedOrNull(values.get(take.at(i)));
                    if (v != null) {
                        return v;
                    }
                }
            }
            return null;
        }
    }

    /** A list in the flattened values: its elements are keyed {@code name[0]...}, {@code name[1]...}. */
    record ListPath(String name, String prefix) {
        ListPath(String name) {
            this(name, name + "[");
        }

        /**
         * The highest element index the record has, or -1. Connectors leave out blank values, so an element in
         * the middle may be missing entirely; reading up to the highest index present skips it.
         */
        int lastIndex(Map<String, String> values) {
            int last = -1;
            int from = prefix.length();
            for (String key : values.keySet()) {
                if (key.startsWith(prefix)) {
                    int index = 0;
                    int i = from;
                    for (char c; i < key.length() && (c = key.charAt(i)) >= '0' && c <= '9'; i++) {
                        index = index * 10 + (c - '0');
                    }
                    if (i > from && i < key.length() && key.charAt(i) == ']' && index > last) {
                        last = index;
                    }
                }
            }
            return last;
        }
    }

    /** The path of one property of every element of a list: {@code agents[i].email}. */
    final class ElementPath {
        private static final int PREBUILT = 16;

        private final ListPath list;
        private final String property;
        private final String[] keys;

        ElementPath(ListPath list, String property) {
            this.list = list;
            this.property = property;
            this.keys = new String[PREBUILT];
            for (int i = 0; i < PREBUILT; i++) {
                keys[i] = key(i);
            }
        }

        String at(int index) {
            return index < PREBUILT ? keys[index] : key(index);
        }

        private String key(int index) {
            return list.prefix() + index + "]." + property;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ElementPath other && list.equals(other.list) && property.equals(other.property);
        }

        @Override
        public int hashCode() {
            return list.hashCode() * 31 + property.hashCode();
        }

        @Override
        public String toString() {
            return list.name() + "[i]." + property;
        }
    }
}
