package org.rollbook.sync.internal.service;

import java.util.List;
import java.util.stream.Collectors;

import org.rollbook.api.sync.FieldChange;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.Operation;

/** An operation's log as an admin downloads it: aligned text or CSV (RFC 4180). */
final class LogFormats {
    private LogFormats() {
    }

    static final String CSV_HEADER = "seq,situation,outcome,type,site,guid,patron,key,blank_keys,candidates,reason,changes";

    static String textHeader(Operation op) {
        return "Rollbook operation " + op.id() + " — " + op.kind().name().toLowerCase() + (op.preview() ? " preview" : "")
                + " for " + op.integration() + "\n" + "status: " + op.status().name().toLowerCase() + "; created "
                + op.created() + (op.finished() == null ? "" : "; finished " + op.finished()) + "\n"
                + (op.message() == null ? "" : op.message() + "\n") + "\n";
    }

    static String text(LogEntry e) {
        StringBuilder b = new StringBuilder();
        b.append(e.seq()).append("  ").append(e.situation().name().toLowerCase()).append("  ")
                .append(e.outcome().name().toLowerCase()).append("  ").append(e.type().code());
        if (e.site() != null) {
            b.append("  site ").append(e.site());
        }
        if (e.sourceId() != null) {
            b.append("  guid ").append(e.sourceId());
        }
        if (e.patronId() > 0) {
            b.append("  patron ").append(e.patronId());
        }
        if (e.key() != null) {
            b.append("  matched by ").append(e.key());
        }
        if (!e.blankKeys().isEmpty()) {
            b.append("  blank: ").append(String.join(", ", e.blankKeys()));
        }
        if (!e.candidates().isEmpty()) {
            b.append("  candidates: ").append(e.candidates().stream().map(String::valueOf).collect(Collectors.joining(", ")));
        }
        if (e.reason() != null) {
            b.append("  — ").append(e.reason());
        }
        for (FieldChange c : e.changes()) {
            b.append("\n      ").append(c.field().number()).append(' ').append(c.field().label()).append(": ")
                    .append(show(c.before())).append(" → ").append(show(c.after()));
        }
        return b.append('\n').toString();
    }

    static String csv(LogEntry e) {
        return String.join(",", List.of(Long.toString(e.seq()), e.situation().name().toLowerCase(),
                e.outcome().name().toLowerCase(), e.type().code(), cell(e.site()), cell(e.sourceId()),
                e.patronId() > 0 ? Long.toString(e.patronId()) : "", cell(e.key()), cell(String.join(" ", e.blankKeys())),
                cell(e.candidates().stream().map(String::valueOf).collect(Collectors.joining(" "))), cell(e.reason()),
                cell(e.changes().stream().map(c -> c.field().key() + ": " + show(c.before()) + " → " + show(c.after()))
                        .collect(Collectors.joining(" | "))))) + "\r\n";
    }

    private static String show(String v) {
        return v == null ? "(none)" : "'" + v + "'";
    }

    /** Quotes a CSV cell when it needs it; a leading = + - @ is defused for spreadsheets. */
    static String cell(String v) {
        if (v == null || v.isEmpty()) {
            return "";
        }
        String s = "=+-@".indexOf(v.charAt(0)) >= 0 ? "'" + v : v;
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
