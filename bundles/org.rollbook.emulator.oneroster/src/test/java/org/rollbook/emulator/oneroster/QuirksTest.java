package org.rollbook.emulator.oneroster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class QuirksTest {

    @Test
    void quirksChangeTheWireShapeWhileRunning() throws Exception {
        try (OneRosterEmulator x = OneRosterEmulator.builder().seed(4).district(DistrictSpec.ofStudents(60)).build().start()) {
            String tk = Http.token(x);
            URI users = URI.create(x.baseUrl() + "/users?limit=5");
            x.quirks().add(Quirk.BARE_ARRAYS);
            x.quirks().add(Quirk.OMIT_TOTAL_COUNT);
            x.quirks().add(Quirk.OMIT_LINK);
            x.quirks().add(Quirk.JSON_BOOLEANS);
            x.quirks().add(Quirk.NULL_FOR_EMPTY);
            x.quirks().add(Quirk.GRADES_AS_STRING);
            x.quirks().add(Quirk.DATES_WITHOUT_MILLIS);
            x.quirks().add(Quirk.FOREIGN_HREF_HOST);
            HttpResponse<String> r = Http.bearer(users, tk);
            JsonNode a = Http.json(r);
            assertTrue(a.isArray());
            assertTrue(r.headers().firstValue("X-Total-Count").isEmpty());
            assertTrue(r.headers().firstValue("Link").isEmpty());
            assertEquals("5", r.headers().firstValue("x-count").orElseThrow());
            JsonNode u = a.get(0);
            assertTrue(u.get("enabledUser").isBoolean());
            assertTrue(u.get("sms").isNull());
            assertTrue(u.get("grades").isTextual());
            assertTrue(u.get("dateLastModified").asText().matches(".*:\\d\\dZ"));
            assertTrue(u.at("/orgs/0/href").asText().startsWith("https://demo-ca-v2.rosterserver.com/ims/oneroster/v1p1/orgs/"));

            x.quirks().clear();
            x.quirks().add(Quirk.STUDENTS_LEAK_TEACHERS);
            String cls = x.district().homeroomClassId("10000001").orElseThrow();
            JsonNode cs = Http.json(Http.bearer(URI.create(x.baseUrl() + "/classes/" + cls + "/students"), tk));
            assertTrue(cs.get("users").findValuesAsText("role").contains("teacher"));
            x.quirks().clear();
            assertTrue(Http.json(Http.bearer(users, tk)).has("users"));
        }
    }
}
