package org.rollbook.web.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.rollbook.api.patron.Patron;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.Site;

/** The JSON shape of patrons and sites: stable keys, field numbers alongside, provenance per field. */
final class PatronJson {
    private PatronJson() {
    }

    static Map<String, Object> patron(Patron p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", p.id());
        out.put("type", p.type().code());
        out.put("status", Map.of("code", p.status().code(), "name", p.status().name().toLowerCase(java.util.Locale.ROOT)));
        out.put("policy", p.policy());
        out.put("integration", p.integration());
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, Object> provenance = new LinkedHashMap<>();
        for (PatronField f : PatronField.values()) {
            String v = p.get(f);
            if (v != null) {
                fields.put(f.key(), v);
            }
            Long op = p.provenance().get(f);
            if (op != null) {
                provenance.put(f.key(), Map.of("field", f.number(), "operation", op));
            }
        }
        out.put("fields", fields);
        out.put("localFields", p.localFields());
        out.put("provenance", provenance);
        out.put("created", p.created().toString());
        out.put("updated", p.updated().toString());
        return out;
    }

    static Map<String, Object> site(Site s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", s.code());
        out.put("name", s.name());
        out.put("providerId", s.providerId());
        return out;
    }
}
