package org.rollbook.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** How operations, counts and tables read on a terminal. */
final class Views {
    private Views() {
    }

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /**
     * An operation's counts in a few words, zeros left out: "300 created, 2 updated, 1 transferred".
     * Transferred are the absent patrons of a full sync; disputed and skipped are situations, the rest outcomes.
     */
    static String counts(List<Object> counts) {
        long created = 0, updated = 0, unchanged = 0, disputed = 0, skipped = 0, transferred = 0, failed = 0;
        for (Object o : counts) {
            if (!(o instanceof Map<?, ?> c)) {
                continue;
            }
            long n = c.get("records") instanceof Number x ? x.longValue() : 0;
            String situation = String.valueOf(c.get("situation"));
            String outcome = String.valueOf(c.get("outcome"));
            if (outcome.equals("failed")) {
                failed += n;
            } else if (situation.equals("absent")) {
                transferred += n;
            } else if (situation.equals("disputed")) {
                disputed += n;
            } else if (situation.equals("skipped")) {
                skipped += n;
            } else if (outcome.equals("created")) {
                created += n;
            } else if (outcome.equals("updated")) {
                updated += n;
            } else if (outcome.equals("unchanged")) {
                unchanged += n;
            }
        }
        List<String> parts = new ArrayList<>();
        add(parts, created, "created");
        add(parts, updated, "updated");
        add(parts, unchanged, "unchanged");
        add(parts, disputed, "disputed");
        add(parts, skipped, "skipped");
        add(parts, transferred, "transferred");
        add(parts, failed, "failed");
        return parts.isEmpty() ? "no records" : String.join(", ", parts);
    }

    private static void add(List<String> parts, long n, String what) {
        if (n > 0) {
            parts.add(n + " " + what);
        }
    }

    private static final Pattern SUMMARY = Pattern.compile(
            "\\d+ created, \\d+ updated, \\d+ unchanged, \\d+ disputed, \\d+ skipped, \\d+ transferred, \\d+ failed\\.?");

    /** The run's message when it says more than its counts do (a completed run's message is often just its tally). */
    static String message(Map<String, Object> op) {
        String m = Json.str(op, "message");
        return m == null || m.isBlank() || SUMMARY.matcher(m.strip()).matches() ? null : m.strip();
    }

    /** "full sync", "incremental preview", "undo of 4". */
    static String kind(Map<String, Object> op) {
        String kind = String.valueOf(op.get("kind"));
        if (kind.equals("undo")) {
            long of = Json.num(op, "undoOf", 0);
            return of > 0 ? "undo of " + of : "undo";
        }
        return kind + (Json.bool(op, "preview") ? " preview" : " sync");
    }

    /** An instant as the server writes it, in local time: "2026-01-05 14:03:22"; "-" when absent. */
    static String time(String instant, ZoneId zone) {
        if (instant == null) {
            return "-";
        }
        try {
            return LOCAL.format(Instant.parse(instant).atZone(zone));
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    /** How long it ran (or has run, until {@code now}): "12s", "3m 05s", "1h 02m". */
    static String took(Map<String, Object> op, Instant now) {
        Instant started = instant(Json.str(op, "started"));
        if (started == null) {
            return null;
        }
        Instant finished = instant(Json.str(op, "finished"));
        return duration(Duration.between(started, finished == null ? now : finished));
    }

    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
    }

    private static Instant instant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** "running: 1200 of 5000 records (24%)", "queued", "running: 1200 records". */
    static String progress(Map<String, Object> op) {
        String status = String.valueOf(op.get("status"));
        long processed = Json.num(op, "processed", 0);
        long expected = Json.num(op, "expected", 0);
        if (!status.equals("running") || processed <= 0 && expected <= 0) {
            return status;
        }
        if (expected > 0) {
            long pct = Math.min(100, processed * 100 / expected);
            return String.format(Locale.ROOT, "%s: %d of %d records (%d%%)", status, processed, expected, pct);
        }
        return String.format(Locale.ROOT, "%s: %d records", status, processed);
    }

    /** Rows as columns separated by two spaces, each as wide as its widest cell; the last column is not padded. */
    static String table(List<List<String>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] width = new int[columns];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(r.get(i));
                if (i < r.size() - 1) {
                    line.append(" ".repeat(width[i] - r.get(i).length() + 2));
                }
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }
}
