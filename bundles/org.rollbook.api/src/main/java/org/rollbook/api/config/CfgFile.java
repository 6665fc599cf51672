package org.rollbook.api.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Changes keys of an {@code etc/*.cfg} file (Java properties, as File Install reads them) the way an admin
 * would: lines of other keys, comments and order stay; a changed key keeps its place, a new one is
 * appended, a removed one goes. The new file replaces the old by an atomic rename, so a reader never
 * sees it half written. Values are written as one line with properties escaping.
 */
public final class CfgFile {
    private CfgFile() {
    }

    /**
     * @param set    keys to set (to their text)
     * @param remove keys to remove
     * @param header comment lines for a file that does not exist yet
     */
    public static void update(Path file, Map<String, String> set, Set<String> remove, String header) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : new ArrayList<>();
        if (lines.isEmpty() && header != null) {
            for (String h : header.split("\n")) {
                lines.add("# " + h);
            }
        }
        Map<String, String> pending = new LinkedHashMap<>(set);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String key = key(line);
            // a value continued on the next lines (ends with an odd number of backslashes) belongs to this key
            int end = i;
            while (key != null && continued(lines.get(end)) && end + 1 < lines.size()) {
                end++;
            }
            if (key != null && (pending.containsKey(key) || remove.contains(key))) {
                if (pending.containsKey(key)) {
                    out.add(escapeKey(key) + "=" + escapeValue(pending.remove(key)));
                }
                i = end;
                continue;
            }
            for (int j = i; j <= end; j++) {
                out.add(lines.get(j));
            }
            i = end;
        }
        pending.forEach((k, v) -> out.add(escapeKey(k) + "=" + escapeValue(v)));
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.write(tmp, out, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** File Install's property naming the file a configuration came from. */
    public static final String FILENAME_PROPERTY = "felix.fileinstall.filename";

    /**
     * The file that holds configuration {@code pid}: the one File Install read it from ({@code filename}, the
     * value of {@link #FILENAME_PROPERTY}), else {@code <etc>/<pid>.cfg}; null when there is no etc directory.
     */
    public static Path fileOf(String pid, Object filename, Path etc) {
        if (filename != null) {
            String f = filename.toString();
            return f.startsWith("file:") ? Path.of(java.net.URI.create(f)) : Path.of(f);
        }
        return etc == null || !Files.isDirectory(etc) ? null : etc.resolve(pid + ".cfg");
    }

    /** How File Install names a file in {@link #FILENAME_PROPERTY}. */
    public static String filenameOf(Path file) {
        return file.toFile().getAbsoluteFile().toURI().toString();
    }

    /** The key of a property line; null for comments and blank lines. */
    static String key(String line) {
        String t = line.stripLeading();
        if (t.isEmpty() || t.startsWith("#") || t.startsWith("!")) {
            return null;
        }
        StringBuilder k = new StringBuilder();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\\' && i + 1 < t.length()) {
                k.append(t.charAt(++i));
            } else if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                break;
            } else {
                k.append(c);
            }
        }
        return k.toString();
    }

    private static boolean continued(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    private static String escapeKey(String k) {
        return escape(k, true);
    }

    private static String escapeValue(String v) {
        return escape(v, false);
    }

    private static String escape(String s, boolean key) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '=', ':', '#', '!' -> b.append(key || i == 0 ? "\\" + c : String.valueOf(c));
                case ' ' -> b.append(key || i == 0 ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
