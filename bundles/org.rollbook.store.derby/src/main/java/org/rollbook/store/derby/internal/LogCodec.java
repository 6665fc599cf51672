package org.rollbook.store.derby.internal;

import java.util.ArrayList;
import java.util.List;

import org.rollbook.api.patron.PatronField;
import org.rollbook.api.store.StoreException;
import org.rollbook.api.sync.FieldChange;

/**
 * The list fields of a log line as compact JSON arrays, exact for any text (quotes, commas, newlines,
 * control characters, non-ASCII): blank keys {@code ["barcode","email"]}, candidates {@code [12,40]},
 * changes {@code [[1019,"old",null],...]} with fields by their SPEC number. An empty list is stored as
 * NULL.
 */
final class LogCodec {

    private LogCodec() {
    }

    /**
     * Encodes strings, leaving out the items that would make the text longer than {@code maxLength}
     * (a log line never fails a batch).
     */
    static String strings(List<String> values, int maxLength) {
        List<String> items = new ArrayList<>(values.size());
        for (String v : values) {
            items.add(quote(v));
        }
        return array(items, maxLength);
    }

    static List<String> strings(String text) {
        List<String> out = new ArrayList<>();
        for (Object item : parse(text)) {
            out.add((String) item);
        }
        return out;
    }

    /** Encodes ids, leaving out those that would not fit into {@code maxLength}. */
    static String ids(List<Long> values, int maxLength) {
        List<String> items = new ArrayList<>(values.size());
        for (Long v : values) {
            items.add(String.valueOf(v));
        }
        return array(items, maxLength);
    }

    static List<Long> ids(String text) {
        List<Long> out = new ArrayList<>();
        for (Object item : parse(text)) {
            out.add((Long) item);
        }
        return out;
    }

    static String changes(List<FieldChange> changes) {
        List<String> items = new ArrayList<>(changes.size());
        for (FieldChange c : changes) {
            items.add("[" + (c.field() == null ? "null" : c.field().number()) + "," + quote(c.before()) + ","
                    + quote(c.after()) + "]");
        }
        return array(items, Integer.MAX_VALUE);
    }

    static List<FieldChange> changes(String text) {
        List<FieldChange> out = new ArrayList<>();
        for (Object item : parse(text)) {
            List<?> triple = (List<?>) item;
            PatronField field = triple.get(0) == null ? null
                    : PatronField.byNumber(((Long) triple.get(0)).intValue()).orElse(null);
            out.add(new FieldChange(field, (String) triple.get(1), (String) triple.get(2)));
        }
        return out;
    }

    private static String array(List<String> items, int maxLength) {
        if (items.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder("[");
        for (String item : items) {
            int separator = b.length() > 1 ? 1 : 0;
            if (b.length() + separator + item.length() + 1 > maxLength) {
                break;
            }
            if (separator > 0) {
                b.append(',');
            }
            b.append(item);
        }
        return b.length() == 1 ? null : b.append(']').toString();
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** The items of a stored array: strings, longs, nulls and nested lists. NULL or blank is empty. */
    private static List<Object> parse(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        Parser p = new Parser(text);
        Object value = p.value();
        p.skipSpace();
        if (!(value instanceof List<?> list) || p.pos != text.length()) {
            throw p.error();
        }
        @SuppressWarnings("unchecked")
        List<Object> items = (List<Object>) list;
        return items;
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Object value() {
            skipSpace();
            if (pos >= text.length()) {
                throw error();
            }
            char ch = text.charAt(pos);
            if (ch == '[') {
                return list();
            }
            if (ch == '"') {
                return string();
            }
            if (text.startsWith("null", pos)) {
                pos += 4;
                return null;
            }
            return number();
        }

        private List<Object> list() {
            List<Object> out = new ArrayList<>();
            pos++;
            skipSpace();
            if (peek() == ']') {
                pos++;
                return out;
            }
            while (true) {
                out.add(value());
                skipSpace();
                char ch = next();
                if (ch == ']') {
                    return out;
                }
                if (ch != ',') {
                    throw error();
                }
            }
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            pos++;
            while (true) {
                char ch = next();
                if (ch == '"') {
                    return b.toString();
                }
                if (ch != '\\') {
                    b.append(ch);
                    continue;
                }
                char esc = next();
                switch (esc) {
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append(hex4());
                    }
                    default -> b.append(esc); // \" \\ \/
                }
            }
        }

        private char hex4() {
            if (pos + 4 > text.length()) {
                throw error();
            }
            String hex = text.substring(pos, pos + 4);
            pos += 4;
            try {
                return (char) Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw error();
            }
        }

        private Long number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            try {
                return Long.parseLong(text.substring(start, pos));
            } catch (NumberFormatException e) {
                throw error();
            }
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        private char next() {
            if (pos >= text.length()) {
                throw error();
            }
            return text.charAt(pos++);
        }

        StoreException error() {
            return new StoreException("unreadable log data at character " + pos + ": "
                    + (text.length() > 60 ? text.substring(0, 60) + "…" : text));
        }
    }
}
