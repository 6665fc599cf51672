package org.rollbook.http;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A provider's JSON object as roster attribute paths: objects join with dots, arrays index with
 * {@code [i]}, scalars as text; null, {@code ""} and empty containers leave nothing
 * ({@code name.first}, {@code roles.staff.schools[0]}, {@code userIds[1].identifier}).
 */
public final class JsonPaths {

    private JsonPaths() {
    }

    public static Map<String, String> flatten(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", node, out);
        return out;
    }

    public static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "[" + i + "]", node.get(i), out);
            }
        } else {
            String v = node.asText();
            if (!v.isBlank()) {
                out.put(prefix, v);
            }
        }
    }
}
