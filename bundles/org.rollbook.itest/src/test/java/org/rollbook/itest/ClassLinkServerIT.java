package org.rollbook.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.rollbook.emulator.oneroster.DistrictSpec;
import org.rollbook.emulator.oneroster.OneRosterEmulator;
import org.rollbook.emulator.oneroster.Role;

import com.fasterxml.jackson.databind.JsonNode;

/** The exported server jar syncing a ClassLink tenant from the OneRoster emulator, only over HTTP. */
public class ClassLinkServerIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void anAdminSyncsAClassLinkTenantOverHttp() throws Exception {
        try (OneRosterEmulator classlink = OneRosterEmulator.builder().seed(5).district(new DistrictSpec(200, 14, 4, 200, 2)).build().start();
                RunningServer server = new RunningServer(tmp.newFolder().toPath(), Map.of("org.rollbook.connector.classlink.cfg",
                        "tenantId=" + classlink.tenantId() + "\nrosterServerUrl=" + classlink.baseUrl() + "\nconsumerKey="
                                + classlink.consumerKey() + "\nconsumerSecret=" + classlink.consumerSecret() + "\n"))) {
            JsonNode connector = server.awaitConnector();
            assertEquals("classlink", connector.get("provider").asText());
            assertTrue(connector.get("message").asText(), connector.get("ok").asBoolean());
            assertTrue(server.mapSchools() >= 2);

            JsonNode full = server.sync("{\"kind\":\"full\"}");
            assertEquals(full.toString(), "completed", full.get("status").asText());
            int people = classlink.district().userCount(Role.STUDENT) + classlink.district().userCount(Role.TEACHER)
                    + classlink.district().userCount(Role.ADMINISTRATOR);
            assertEquals("students, teachers and administrators; parents are not patrons", people,
                    server.call("GET", "/api/patrons?limit=1", null, 200).get("total").asInt());

            String student = classlink.district().userId(Role.STUDENT, 3);
            JsonNode before = server.call("GET", "/api/patrons?q=" + student, null, 200).get("items").get(0);
            assertTrue("parents' names in additional contact: " + before, before.get("fields").has("additionalContact"));
            assertTrue("birth date from demographics: " + before, before.get("fields").has("birthdate"));

            classlink.district().updateUser(student, b -> b.familyName("Ødegård"));
            String leaving = classlink.district().userId(Role.STUDENT, 4);
            classlink.district().removeUser(leaving);
            JsonNode inc = server.sync("{\"kind\":\"incremental\"}");
            assertEquals(inc.toString(), "completed", inc.get("status").asText());
            assertEquals("Ødegård", server.call("GET", "/api/patrons?q=" + student, null, 200).get("items").get(0)
                    .get("fields").get("lastName").asText());
            assertEquals(4, server.call("GET", "/api/patrons?q=" + leaving, null, 200).get("items").get(0)
                    .get("status").get("code").asInt());
        }
    }
}
