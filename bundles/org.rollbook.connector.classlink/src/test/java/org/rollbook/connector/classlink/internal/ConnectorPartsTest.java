package org.rollbook.connector.classlink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterState;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.rollbook.http.RosterHttp;

/** The pieces without a server: signing, URL validation, configuration, cursors, packing. */
class ConnectorPartsTest {

    static ClassLinkConnector connector(Map<String, Object> overrides) {
        Map<String, Object> c = new HashMap<>();
        c.put("tenantId", "t-1");
        c.put("rosterServerUrl", "https://t-1-ca-v2.oneroster.com/ims/oneroster/v1p1");
        c.put("consumerKey", "ck");
        c.put("consumerSecret", "cs");
        c.putAll(overrides);
        return new ClassLinkConnector(ClassLinkSyncTest.config(ClassLinkConfiguration.class, c),
                new RosterHttp(RosterHttp.Settings.defaults(), d -> { }, Clock.systemUTC(), new Random(1)));
    }

    // ------------------------------------------------------------------ signing

    @Test
    void theSignerReproducesTheReferenceExample() throws Exception {
        OAuth1Signer s = new OAuth1Signer("ck_test", "cs_test");
        java.net.URI uri = java.net.URI.create("https://example-ca-v2.oneroster.com/ims/oneroster/v1p1/users?limit=100&offset=0"
                + "&filter=dateLastModified%3E%272024-01-01T00%3A00%3A00.000Z%27%20AND%20status%3D%27active%27");
        assertEquals("GET&https%3A%2F%2Fexample-ca-v2.oneroster.com%2Fims%2Foneroster%2Fv1p1%2Fusers&filter%3DdateLastModified"
                + "%253E%25272024-01-01T00%253A00%253A00.000Z%2527%2520AND%2520status%253D%2527active%2527%26limit%3D100"
                + "%26oauth_consumer_key%3Dck_test%26oauth_nonce%3Dabcdef1234%26oauth_signature_method%3DHMAC-SHA256"
                + "%26oauth_timestamp%3D1700000000%26offset%3D0", s.baseString("GET", uri, "1700000000", "abcdef1234"));
        assertEquals("qXagppuyayYyIbyLaFNEIKQuUTQXpL/h1kvboo3UzoA=", s.signature("GET", uri, "1700000000", "abcdef1234"));
        assertEquals("OAuth oauth_consumer_key=\"ck_test\",oauth_signature_method=\"HMAC-SHA256\",oauth_timestamp=\"1700000000\","
                + "oauth_nonce=\"abcdef1234\",oauth_signature=\"qXagppuyayYyIbyLaFNEIKQuUTQXpL%2Fh1kvboo3UzoA%3D\"",
                s.header("GET", uri, "1700000000", "abcdef1234"));
        // the filter value the connector builds encodes to the same query
        assertEquals("dateLastModified%3E%272024-01-01T00%3A00%3A00.000Z%27%20AND%20status%3D%27active%27",
                OAuth1Signer.encode("dateLastModified>'2024-01-01T00:00:00.000Z' AND status='active'"));
    }

    @Test
    void theRosterServerUrlIsValidated() {
        assertEquals("https://d-ca-v2.oneroster.com/ims/oneroster/v1p1",
                RosterUrl.base("https://d-ca-v2.oneroster.com/ims/oneroster/v1p1/", false).toString());
        assertEquals("https://d-ca-v2.oneroster.com/ims/oneroster/rostering/v1p2",
                RosterUrl.base("https://d-ca-v2.oneroster.com/ims/oneroster/v1p1/users", true).toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RosterUrl.base("https://d-ca-v2.oneroster.com/", false));
        assertTrue(e.getMessage().contains("/ims/oneroster/v1p1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RosterUrl.base("d-ca-v2.oneroster.com/ims/oneroster/v1p1", false));
        assertThrows(IllegalArgumentException.class, () -> connector(Map.of("consumerSecret", "")));
        assertThrows(IllegalArgumentException.class, () -> connector(Map.of("pageSize", 0)));
        assertThrows(IllegalArgumentException.class, () -> connector(Map.of("tenantId", " ")));
        assertThrows(IllegalArgumentException.class, () -> connector(Map.of("version", "v1p2"))); // 1.2 needs OAuth 2
        assertEquals("classlink", connector(Map.of()).provider());
        assertEquals("t-1", connector(Map.of()).account());
    }

    @Test
    void cursorsAreInstants() {
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), ClassLinkConnector.parseCursor("2026-01-02T03:04:05Z"));
        assertNull(ClassLinkConnector.parseCursor("5940d254cc70ab00017a1a87"));
        assertNull(ClassLinkConnector.parseCursor(null));
    }

    @Test
    void packedJoinValuesSplitBack() {
        String p = Users.pack("Ana María", "", "ana@example.org");
        assertEquals(List.of("Ana María", "", "ana@example.org"), List.of(Users.split(p, 3)));
        SeenIds seen = new SeenIds();
        for (int i = 0; i < 5000; i++) {
            assertTrue(seen.add("1" + i));
        }
        assertFalse(seen.add("1" + 4321));
    }


    @Test
    void usersAreReadTolerantly() throws Exception {
        ObjectMapper m = new ObjectMapper();
        Set<PatronType> all = Set.of(PatronType.values());
        assertEquals(PatronType.TEACHER, Users.typeOf(m.readTree("{\"role\":\"aide\"}"), all));
        assertEquals(PatronType.STAFF, Users.typeOf(m.readTree("{\"role\":\"administrator\"}"), all));
        assertNull(Users.typeOf(m.readTree("{\"role\":\"proctor\"}"), all));
        assertNull(Users.typeOf(m.readTree("{\"role\":\"ext:librarian\"}"), all));
        assertNull(Users.typeOf(m.readTree("{\"role\":\"parent\"}"), all));
        JsonNode v12 = m.readTree("{\"roles\":[{\"roleType\":\"primary\",\"role\":\"principal\"},"
                + "{\"roleType\":\"secondary\",\"role\":\"teacher\"}]}");
        assertEquals(PatronType.TEACHER, Users.typeOf(v12, all), "several roles: the highest, once");
        assertEquals(PatronType.STAFF, Users.typeOf(v12, Set.of(PatronType.STAFF)));

        Joins joins = new Joins();
        joins.demographics.put("7_1553", Users.pack("2012-03-04", "female"));
        joins.parents.put("P1", Users.pack("Zoë", "Øvergaard", ""));
        JsonNode u = m.readTree("{\"sourcedId\":\"7_1553\",\"status\":\"tobedeleted\",\"enabledUser\":\"false\","
                + "\"givenName\":\"ANA\",\"middleName\":\"\",\"phone\":null,\"password\":\"s3cret\",\"grades\":\"09,10\","
                + "\"orgs\":[{\"href\":\"x\",\"sourcedId\":\"9000001\",\"type\":\"org\"}],"
                + "\"agents\":[{\"sourcedId\":\"P1\",\"type\":\"user\"},{\"sourcedId\":\"gone\",\"type\":\"user\"}]}");
        RosterRecord r = Users.record(u, PatronType.STUDENT, joins);
        assertEquals(RosterState.DELETED, r.state());
        assertEquals("ANA", r.get("givenName"));
        assertNull(r.get("middleName"));
        assertNull(r.get("phone"));
        assertNull(r.get("password"), "never delivered");
        assertEquals("false", r.get("enabledUser"));
        assertEquals("09", r.get("grades[0]"));
        assertEquals("10", r.get("grades[1]"));
        assertEquals("9000001", r.get("orgs[0].sourcedId"));
        assertEquals("2012-03-04", r.get("demographics.birthDate"));
        assertEquals("female", r.get("demographics.sex"));
        assertEquals("Zoë", r.get("agents[0].givenName"));
        assertEquals("Øvergaard", r.get("agents[0].familyName"));
        assertNull(r.get("agents[0].email"));
        assertNull(r.get("agents[1].givenName"), "an unresolved agent is left out");
        assertNull(Users.record(m.readTree("{\"givenName\":\"x\"}"), PatronType.STUDENT, joins), "no sourcedId");
    }
}
