package org.rollbook.emulator.clever;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthAndEnvelopeTest {
    CleverEmulator emu;

    @BeforeEach
    void start() throws Exception {
        emu = CleverEmulator.builder().seed(3).district(DistrictSpec.ofStudents(120)).build().start();
    }

    @AfterEach
    void stop() {
        emu.close();
    }

    private HttpResponse<String> tokens(String query, String id, String secret) {
        return Http.send(HttpRequest.newBuilder(URI.create(emu.baseUrl() + "/oauth/tokens" + query))
                .header("Authorization", Http.basic(id, secret)).header("Accept", "application/json").GET().build());
    }

    @Test
    void basicCredentialsGiveTheDistrictTokenWhichWorks() {
        HttpResponse<String> r = tokens("?owner_type=district", emu.clientId(), emu.clientSecret());
        assertEquals(200, r.statusCode());
        JsonNode body = Http.json(r);
        assertEquals(1, body.path("data").size());
        JsonNode t = body.path("data").get(0);
        assertEquals("district", t.path("owner").path("type").asText());
        assertEquals(emu.districtId(), t.path("owner").path("id").asText());
        assertTrue(t.path("id").asText().matches("[0-9a-f]{24}"));
        assertTrue(t.path("scopes").isArray());
        assertFalse(t.has("data"), "token items are flat");
        assertEquals("/oauth/tokens?owner_type=district", Http.link(body, "self"));
        assertNull(r.headers().firstValue("X-RateLimit-Limit").orElse(null), "no rate-limit headers on oauth");
        String token = t.path("access_token").asText();
        assertEquals(emu.districtToken(), token);
        HttpResponse<String> users = Http.get(emu, "/v3.0/users?role=student&limit=1", token);
        assertEquals(200, users.statusCode());

        // the district filter, with the self link normalised to owner_type then district
        JsonNode filtered = Http.json(tokens("?district=" + emu.districtId() + "&owner_type=district",
                emu.clientId(), emu.clientSecret()));
        assertEquals(1, filtered.path("data").size());
        assertEquals("/oauth/tokens?owner_type=district&district=" + emu.districtId(), Http.link(filtered, "self"));
        JsonNode other = Http.json(tokens("?owner_type=district&district=000000000000000000000000",
                emu.clientId(), emu.clientSecret()));
        assertEquals(0, other.path("data").size());
    }

    @Test
    void badSecretIsRefused() {
        HttpResponse<String> r = tokens("?owner_type=district", emu.clientId(), "wrong");
        assertEquals(401, r.statusCode());
        JsonNode body = Http.json(r);
        assertEquals("invalid_client", body.path("error").asText());
        assertTrue(body.has("error_description"));
        HttpResponse<String> none = Http.send(HttpRequest.newBuilder(URI.create(emu.baseUrl()
                + "/oauth/tokens?owner_type=district")).GET().build());
        assertEquals(401, none.statusCode());
    }

    @Test
    void missingInvalidAndRevokedTokensGet401() {
        HttpResponse<String> none = Http.get(emu, "/v3.0/users", null);
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("Unauthorized", Http.json(none).path("message").asText());
        assertEquals(401, Http.get(emu, "/v3.0/users", "not-a-token").statusCode());
        String old = emu.districtToken();
        emu.faults().revokeToken(old);
        assertEquals(401, Http.get(emu, "/v3.0/districts", old).statusCode());
        assertEquals(0, Http.json(tokens("?owner_type=district", emu.clientId(), emu.clientSecret()))
                .path("data").size());
    }

    @Test
    void rotationIssuesANewTokenListedByOauthTokens() {
        String old = emu.districtToken();
        String fresh = emu.rotateDistrictToken();
        assertNotEquals(old, fresh);
        assertEquals(401, Http.get(emu, "/v3.0/districts", old).statusCode());
        JsonNode listed = Http.json(tokens("?owner_type=district", emu.clientId(), emu.clientSecret()));
        assertEquals(fresh, listed.path("data").get(0).path("access_token").asText());
        assertEquals(200, Http.get(emu, "/v3.0/districts", fresh).statusCode());
    }

    @Test
    void tokeninfoAndCodeExchange() {
        HttpResponse<String> info = Http.get(emu, "/oauth/tokeninfo");
        assertEquals(200, info.statusCode());
        assertEquals(emu.clientId(), Http.json(info).path("client_id").asText());
        assertEquals(401, Http.get(emu, "/oauth/tokeninfo", "nope").statusCode());

        String teacher = emu.district().userIds("teacher").get(0);
        String code = emu.issueAuthorizationCode(teacher);
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(emu.baseUrl() + "/oauth/tokens"))
                .header("Authorization", Http.basic(emu.clientId(), emu.clientSecret()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + code
                        + "\",\"grant_type\":\"authorization_code\",\"redirect_uri\":\"https://app.example/cb\"}"))
                .build());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("bearer", Http.json(r).path("token_type").asText());
        String userToken = Http.json(r).path("access_token").asText();
        JsonNode me = Http.json(Http.get(emu, "/v3.0/me", userToken));
        assertEquals(teacher, me.path("data").path("id").asText());
        assertEquals(emu.districtId(), me.path("data").path("district").asText());
        assertEquals("teacher", me.path("data").path("type").asText());
        assertEquals(200, Http.get(emu, "/v3.0/users/" + teacher, userToken).statusCode());
        HttpResponse<String> list = Http.get(emu, "/v3.0/users?role=student", userToken);
        assertEquals(404, list.statusCode(), "user tokens cannot list");
        assertTrue(list.body().contains("Cannot GET /v3.0/users"));

        // a code works once; form encoding is accepted too
        HttpResponse<String> again = Http.send(HttpRequest.newBuilder(URI.create(emu.baseUrl() + "/oauth/tokens"))
                .header("Authorization", Http.basic(emu.clientId(), emu.clientSecret()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("code=" + code + "&grant_type=authorization_code"))
                .build());
        assertEquals(400, again.statusCode());
        assertEquals("invalid_grant", Http.json(again).path("error").asText());
        String code2 = emu.issueAuthorizationCode(teacher);
        HttpResponse<String> form = Http.send(HttpRequest.newBuilder(URI.create(emu.baseUrl() + "/oauth/tokens"))
                .header("Authorization", Http.basic(emu.clientId(), emu.clientSecret()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("code=" + code2 + "&grant_type=authorization_code"))
                .build());
        assertEquals(200, form.statusCode());
    }

    @Test
    void unknownRoutesGetExpressHtml404() {
        for (String path : List.of("/v3.0/students", "/v3.0/resources/x/y/z", "//v3.0/users", "/v1.1/students",
                "/v3.0/users/")) {
            HttpResponse<String> r = Http.get(emu, path);
            assertEquals(404, r.statusCode(), path);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), path);
            assertTrue(r.body().contains("<pre>Cannot GET " + path + "</pre>"), r.body());
        }
        HttpResponse<String> missing = Http.get(emu, "/v3.0/users/000000000000000000000000");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void envelopesAndHeaders() {
        HttpResponse<String> r = Http.get(emu, "/v3.0/users?role=teacher&limit=2");
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(r.headers().firstValue("X-Request-Id").isPresent());
        JsonNode page = Http.json(r);
        List<String> keys = new ArrayList<>();
        page.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("data", "links"), keys, "no paging or count block in v3");
        JsonNode item = page.path("data").get(0);
        String id = item.path("data").path("id").asText();
        assertEquals("/v3.0/users/" + id, item.path("uri").asText());

        JsonNode single = Http.ok(emu, "/v3.0/users/" + id);
        assertEquals(id, single.path("data").path("id").asText());
        assertEquals("/v3.0/users/" + id, Http.link(single, "self"));
        assertEquals("/v3.0/users/" + id + "/myStudents", Http.link(single, "myStudents"));
        assertEquals("/v3.0/users/" + id + "/district", Http.link(single, "district"));

        JsonNode districts = Http.ok(emu, "/v3.0/districts");
        assertEquals(1, districts.path("data").size());
        assertEquals("/v3.0/districts/" + emu.districtId(), districts.path("data").get(0).path("uri").asText());
        JsonNode d = Http.ok(emu, "/v3.0/districts/" + emu.districtId()).path("data");
        assertTrue(d.path("name").asText().startsWith("#DEMO"));
        assertTrue(d.path("launch_date").asText().matches("\\d{4}-\\d{2}-\\d{2}"));
        assertFalse(d.has("mdr_number"));
        assertEquals(404, Http.get(emu, "/v3.0/districts/000000000000000000000000").statusCode());
        JsonNode me = Http.ok(emu, "/v3.0/me");
        assertEquals(emu.districtId(), me.path("data").path("id").asText());
        assertEquals(1, Http.ok(emu, "/v3.0/users/" + id + "/district").path("data").isObject() ? 1 : 0);
        assertEquals(0, Http.ok(emu, "/v3.0/sections").path("data").size());

        String student = emu.district().userIds("student").get(0);
        JsonNode contacts = Http.ok(emu, "/v3.0/users/" + student + "/myContacts");
        assertTrue(contacts.path("data").size() >= 1);
        String contact = contacts.path("data").get(0).path("data").path("id").asText();
        JsonNode kids = Http.ok(emu, "/v3.0/users/" + contact + "/mystudents");
        assertTrue(Http.ids(kids).contains(student));
    }
}
