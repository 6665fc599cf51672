package org.rollbook.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ManifestClausesTest {

    @Test
    void clausesNamesAttributesAndDirectives() {
        ManifestClauses h = ManifestClauses.parse("osgi.service;objectClass:List<String>=\"a.B,c.D\";uses:=\"x,y\","
                + "osgi.extender;osgi.extender=\"osgi.component\";version:Version=\"1.5\"");
        assertEquals(2, h.clauses().size());
        ManifestClauses.Clause first = h.clauses().get(0);
        assertEquals(List.of("osgi.service"), first.names());
        assertEquals("a.B,c.D", first.attributes().get("objectClass"));
        assertEquals("x,y", first.directives().get("uses"));
        assertEquals("1.5", h.clauses().get(1).attributes().get("version"));
        assertTrue(h.declares("osgi.service", "objectClass", "c.D"));
        assertFalse(h.declares("osgi.service", "objectClass", "a"));
        assertFalse(h.declares("osgi.extender", "objectClass", "a.B"));
    }

    @Test
    void quotesProtectSeparatorsAndBlankHeadersHaveNoClauses() {
        ManifestClauses h = ManifestClauses.parse("ns;a=\"x;y,z\";b=\"say \\\"hi\\\"\"");
        assertEquals(1, h.clauses().size());
        assertEquals("x;y,z", h.clauses().get(0).attributes().get("a"));
        assertEquals("say \"hi\"", h.clauses().get(0).attributes().get("b"));
        assertEquals(0, ManifestClauses.parse(null).clauses().size());
        assertEquals(0, ManifestClauses.parse(" ").clauses().size());
    }
}
