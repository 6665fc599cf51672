package org.rollbook.web.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rollbook.api.sync.Count;
import org.rollbook.api.sync.FieldChange;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.Operation;

/** The JSON shape of operations and their log lines. */
final class SyncJson {
    private SyncJson() {
    }

    static Map<String, Object> operation(Operation op) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", op.id());
        out.put("integration", op.integration());
        out.put("kind", lower(op.kind()));
        out.put("trigger", lower(op.trigger()));
        out.put("preview", op.preview());
        out.put("types", op.types().stream().map(t -> t.code()).sorted().toList());
        out.put("status", lower(op.status()));
        out.put("created", str(op.created()));
        out.put("started", str(op.started()));
        out.put("finished", str(op.finished()));
        out.put("processed", op.processed());
        out.put("expected", op.expected());
        out.put("message", op.message());
        if (op.undoOf() > 0) {
            out.put("undoOf", op.undoOf());
        }
        out.put("counts", op.counts().stream().map(SyncJson::count).toList());
        return out;
    }

    static Map<String, Object> count(Count c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("situation", lower(c.situation()));
        out.put("outcome", lower(c.outcome()));
        out.put("type", c.type().code());
        out.put("site", c.site());
        out.put("records", c.records());
        return out;
    }

    static Map<String, Object> entry(LogEntry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seq", e.seq());
        out.put("situation", lower(e.situation()));
        out.put("outcome", lower(e.outcome()));
        out.put("type", e.type().code());
        out.put("site", e.site());
        out.put("guid", e.sourceId());
        out.put("patron", e.patronId() > 0 ? e.patronId() : null);
        out.put("key", e.key());
        out.put("blankKeys", e.blankKeys());
        out.put("candidates", e.candidates());
        out.put("reason", e.reason());
        List<Map<String, Object>> changes = e.changes().stream().map(SyncJson::change).toList();
        out.put("changes", changes);
        return out;
    }

    private static Map<String, Object> change(FieldChange c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("field", c.field().key());
        out.put("number", c.field().number());
        out.put("before", c.before());
        out.put("after", c.after());
        return out;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
