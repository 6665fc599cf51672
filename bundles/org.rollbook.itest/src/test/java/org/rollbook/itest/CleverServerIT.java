package org.rollbook.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.rollbook.emulator.clever.CleverEmulator;
import org.rollbook.emulator.clever.District;
import org.rollbook.emulator.clever.DistrictSpec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The exported server jar syncing a Clever district from the emulator, driven only over HTTP as an admin's
 * script would: check the connection, map schools to sites, run a full sync, read patrons and the log,
 * then an incremental sync after changes in the district.
 */
public class CleverServerIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private CleverEmulator clever;
    private RunningServer server;

    @Before
    public void start() throws Exception {
        clever = CleverEmulator.builder().seed(11).district(new DistrictSpec(300, 20, 8, 2, 60, 3)).build().start();
        server = new RunningServer(tmp.newFolder().toPath(), Map.of("org.rollbook.connector.clever.cfg",
                "district=https://clever.com/oauth/instant-login?client_id=" + clever.clientId() + "&district_id="
                        + clever.districtId() + "\nclientId=" + clever.clientId() + "\nclientSecret=" + clever.clientSecret()
                        + "\napiUrl=" + clever.baseUrl() + "\noauthUrl=" + clever.baseUrl() + "\npageSize=100\n"));
    }

    @After
    public void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (clever != null) {
            clever.close();
        }
    }

    private JsonNode call(String method, String path, String body, int expected) throws Exception {
        return server.call(method, path, body, expected);
    }

    private Set<String> rostered() {
        Set<String> ids = new HashSet<>();
        for (String role : List.of(District.ROLE_STUDENT, District.ROLE_TEACHER, District.ROLE_STAFF, District.ROLE_DISTRICT_ADMIN)) {
            ids.addAll(clever.district().userIds(role));
        }
        return ids;
    }

    @Test
    public void anAdminSyncsACleverDistrictOverHttp() throws Exception {
        JsonNode connector = server.awaitConnector();
        assertEquals("clever", connector.get("provider").asText());
        assertEquals(clever.districtId(), connector.get("account").asText());
        assertTrue(connector.get("message").asText(), connector.get("ok").asBoolean());

        assertEquals(3, server.mapSchools());

        JsonNode full = server.sync("{\"kind\":\"full\"}");
        assertEquals(full.toString(), "completed", full.get("status").asText());
        assertEquals(rostered().size(), call("GET", "/api/patrons?limit=1", null, 200).get("total").asInt());

        String csv = call("GET", "/api/operations/" + full.get("id").asLong() + "/log.csv?outcome=created", null, 200).asText();
        assertEquals(rostered().size() + 1, csv.lines().count());
        JsonNode page = call("GET", "/api/operations/" + full.get("id").asLong() + "/log?limit=5&type=teacher", null, 200);
        assertEquals(5, page.get("items").size());
        assertEquals("teacher", page.get("items").get(0).get("type").asText());

        String student = clever.district().userIds(District.ROLE_STUDENT).get(7);
        clever.district().updateUser(student, Map.of("name.last", "Øverland"));
        String leaving = clever.district().userIds(District.ROLE_STUDENT).get(8);
        clever.district().removeUser(leaving);
        JsonNode inc = server.sync("{\"kind\":\"incremental\"}");
        assertEquals(inc.toString(), "completed", inc.get("status").asText());
        JsonNode found = call("GET", "/api/patrons?q=" + student, null, 200).get("items").get(0);
        assertEquals("Øverland", found.get("fields").get("lastName").asText());
        JsonNode gone = call("GET", "/api/patrons?q=" + leaving, null, 200).get("items").get(0);
        assertEquals(4, gone.get("status").get("code").asInt());

        JsonNode preview = server.sync("{\"kind\":\"full\",\"preview\":true}");
        assertTrue(preview.get("message").asText(), preview.get("message").asText().startsWith("preview, nothing was written"));
        call("POST", "/api/operations", "{\"kind\":\"sideways\"}", 400);
        call("POST", "/api/operations", "not json", 400);
        call("POST", "/api/operations/" + full.get("id").asLong() + "/undo", null, 409);
        call("PUT", "/api/sites/X", "{\"providerId\": 5}", 400);

        JsonNode integration = call("GET", "/api/integration", null, 200);
        assertEquals("clever", integration.get("connectors").get(0).get("provider").asText());
        call("POST", "/api/integration/plan", "{\"provider\":\"classlink\"}", 409);
        JsonNode same = call("POST", "/api/integration/plan", "{\"provider\":\"clever\"}", 200);
        assertTrue(same.get("message").asText(), same.get("message").asText().contains("already the integration in use"));
        call("POST", "/api/integration/begin", "{\"provider\":\"clever\"}", 409);
        JsonNode begun = call("POST", "/api/integration/begin", "{\"provider\":\"clever\",\"confirm\":\"Begin\"}", 200);
        assertEquals(0, begun.get("patronIds").asInt());
        JsonNode after = server.sync("{\"kind\":\"incremental\"}");
        assertEquals("the sync engine follows the selection: " + after, "completed", after.get("status").asText());
    }
}
