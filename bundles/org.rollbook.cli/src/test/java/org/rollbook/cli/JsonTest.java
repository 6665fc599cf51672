package org.rollbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsTheValuesTheApiSends() {
        Map<String, Object> o = Json.object(" {\"id\": 4, \"ok\": true, \"no\": false, \"none\": null, \"ratio\": -1.5e2,"
                + " \"big\": 123456789012345678901234567890, \"name\": \"\\u00d8verland \\\"q\\\" \\\\ \\n\", \"list\": [1, [], {}],"
                + " \"empty\": {}} ");
        assertEquals(4L, o.get("id"));
        assertEquals(true, o.get("ok"));
        assertEquals(false, o.get("no"));
        assertEquals(null, o.get("none"));
        assertEquals(new BigDecimal("-1.5e2"), o.get("ratio"));
        assertEquals(new BigDecimal("123456789012345678901234567890"), o.get("big"));
        assertEquals("Øverland \"q\" \\ \n", o.get("name"));
        assertEquals(Arrays.asList(1L, List.of(), new LinkedHashMap<>()), o.get("list"));
        assertEquals(List.of("id", "ok", "no", "none", "ratio", "big", "name", "list", "empty"), List.copyOf(o.keySet()));
        assertEquals("\uD83D\uDE00", Json.parse("\"\\ud83d\\ude00\""));
    }

    @Test
    void refusesWhatIsNotJson() {
        for (String bad : List.of("", "{", "{\"a\" 1}", "{\"a\":1,}", "[1 2]", "tru", "\"open", "{} x", "01x", "{'a':1}", "\"\\x\"")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Json.object("[1]"));
    }

    @Test
    void quotesStrings() {
        assertEquals("\"a \\\"b\\\" \\\\ \\n \\u0001 é\"", Json.quote("a \"b\" \\ \n \u0001 é"));
        assertEquals("x\"\n", Json.parse(Json.quote("x\"\n")));
    }
}
