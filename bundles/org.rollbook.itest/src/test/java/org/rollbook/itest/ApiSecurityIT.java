package org.rollbook.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.rollbook.emulator.clever.CleverEmulator;
import org.rollbook.emulator.clever.DistrictSpec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The API's guard on the exported server: sign-in and its rate limit, the session cookie, CSRF and
 * origin checks on state changes, the command-line token, bad input, and secrets sealed at rest.
 */
public class ApiSecurityIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private CleverEmulator clever;
    private RunningServer server;
    private Path home;

    @Before
    public void start() throws Exception {
        clever = CleverEmulator.builder().seed(5).district(new DistrictSpec(40, 4, 2, 1, 20, 2)).build().start();
        home = tmp.newFolder().toPath();
        // A secret typed into etc/ by hand, in plain text: the server must seal it in place.
        server = new RunningServer(home, Map.of("org.rollbook.connector.clever.cfg", RunningServer.cleverConnector(clever, 100)));
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

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        return server.send(method, path, body, headers);
    }

    private static String login(String password) {
        return "{\"username\":\"admin\",\"password\":\"" + password + "\"}";
    }

    @Test
    public void anyoneGetsTheHealthStatusOnlyTheAdminItsDetails() throws Exception {
        HttpResponse<String> anonymous = send("GET", "/api/health", null, Map.of());
        assertEquals(anonymous.body(), 200, anonymous.statusCode());
        JsonNode status = RunningServer.JSON.readTree(anonymous.body());
        assertEquals("ok", status.get("status").asText());
        for (String hidden : new String[] {"version", "problems", "store", "bundles"}) {
            assertFalse(hidden + ": " + anonymous.body(), status.has(hidden));
        }
        // a wrong token is not refused on the open path, and unlocks nothing
        HttpResponse<String> wrong = send("GET", "/api/health", null, Map.of("Authorization", "Bearer not-the-token"));
        assertEquals(200, wrong.statusCode());
        assertFalse(wrong.body(), RunningServer.JSON.readTree(wrong.body()).has("store"));

        JsonNode admin = server.call("GET", "/api/health", null, 200); // with the command-line token
        assertEquals("ok", admin.get("status").asText());
        assertTrue(admin.toString(), admin.get("store").get("open").asBoolean());
        assertTrue(admin.get("bundles").size() > 10);
        assertTrue(admin.has("version") && admin.has("problems"));

        HttpResponse<String> in = send("POST", "/api/session", login(RunningServer.ADMIN_PASSWORD), Map.of());
        String cookie = in.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        JsonNode console = server.call("GET", "/api/health", null, 200, Map.of("Cookie", cookie));
        assertTrue(console.toString(), console.get("store").get("open").asBoolean());
    }

    @Test
    public void theApiNeedsASignedInSessionOrTheToken() throws Exception {
        assertEquals(200, send("GET", "/api/health", null, Map.of()).statusCode());
        for (String path : new String[] {"/api/patrons", "/api/sites", "/api/operations", "/api/settings/clever", "/api/connector",
                "/api/integration", "/api/disputes", "/api/no-such-thing"}) {
            HttpResponse<String> r = send("GET", path, null, Map.of());
            assertEquals(path + ": " + r.body(), 401, r.statusCode());
            assertTrue(r.body(), r.body().contains("\"error\""));
        }
        assertEquals(401, send("POST", "/api/operations", "{\"kind\":\"full\"}", Map.of()).statusCode());
        assertEquals(401, send("GET", "/api/patrons", null, Map.of("Authorization", "Bearer not-the-token")).statusCode());
        assertEquals(401, send("GET", "/api/patrons", null, Map.of("Authorization", "Basic YWRtaW46YWRtaW4=")).statusCode());
        assertEquals(200, send("GET", "/api/patrons", null, server.withToken()).statusCode());
        HttpResponse<String> health = send("GET", "/api/health", null, Map.of());
        assertTrue(health.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertEquals("DENY", health.headers().firstValue("X-Frame-Options").orElse(""));
    }

    @Test
    public void aConsoleSessionWithCsrfProtection() throws Exception {
        assertEquals(401, send("POST", "/api/session", login("wrong"), Map.of()).statusCode());
        assertEquals(400, send("POST", "/api/session", "{\"username\":\"admin\"}", Map.of()).statusCode());
        HttpResponse<String> in = send("POST", "/api/session", login(RunningServer.ADMIN_PASSWORD), Map.of());
        assertEquals(in.body(), 200, in.statusCode());
        String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie, setCookie.startsWith("rollbook_session="));
        assertTrue(setCookie, setCookie.contains("HttpOnly"));
        assertTrue(setCookie, setCookie.contains("SameSite=Strict"));
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = RunningServer.JSON.readTree(in.body()).get("csrf").asText();
        assertTrue(csrf.length() >= 32);

        Map<String, String> session = Map.of("Cookie", cookie);
        assertEquals(csrf, server.call("GET", "/api/session", null, 200, session).get("csrf").asText());
        assertEquals(200, send("GET", "/api/patrons", null, session).statusCode());
        String site = "{\"name\":\"North\"}";
        assertEquals(403, send("PUT", "/api/sites/NORTH", site, session).statusCode());
        assertEquals(403, send("PUT", "/api/sites/NORTH", site, Map.of("Cookie", cookie, "X-CSRF-Token", csrf + "x")).statusCode());
        HttpResponse<String> foreign = send("PUT", "/api/sites/NORTH", site,
                Map.of("Cookie", cookie, "X-CSRF-Token", csrf, "Origin", "http://evil.example"));
        assertEquals(foreign.body(), 403, foreign.statusCode());
        Map<String, String> withToken = Map.of("Cookie", cookie, "X-CSRF-Token", csrf);
        assertEquals(200, send("PUT", "/api/sites/NORTH", site, withToken).statusCode());
        assertEquals(200, send("PUT", "/api/sites/SOUTH", site,
                Map.of("Cookie", cookie, "X-CSRF-Token", csrf, "Origin", "http://127.0.0.1:" + server.port)).statusCode());
        assertEquals(403, send("DELETE", "/api/session", null, session).statusCode());
        assertEquals(200, send("DELETE", "/api/session", null, withToken).statusCode());
        assertEquals(401, send("GET", "/api/patrons", null, session).statusCode());
        assertEquals(401, send("GET", "/api/session", null, session).statusCode());
        assertEquals(401, send("GET", "/api/patrons", null, Map.of("Cookie", "rollbook_session=forged")).statusCode());
    }

    @Test
    public void signInIsRateLimited() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(401, send("POST", "/api/session", login("guess-" + i), Map.of()).statusCode());
        }
        HttpResponse<String> limited = send("POST", "/api/session", login(RunningServer.ADMIN_PASSWORD), Map.of());
        assertEquals("even the right password waits: " + limited.body(), 429, limited.statusCode());
        assertTrue(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()) > 0);
        assertTrue(limited.body(), limited.body().contains("too many failed sign-ins"));
        assertEquals("the command-line token still works", 200, send("GET", "/api/patrons", null,
                server.withToken()).statusCode());
    }

    @Test
    public void badInputIsA4xxWithAMessage() throws Exception {
        assertEquals(404, send("GET", "/api/sites/NOPE", null, server.withToken()).statusCode());
        assertEquals(404, send("DELETE", "/api/sites/NOPE", null, server.withToken()).statusCode());
        assertEquals(400, send("GET", "/api/patrons/abc", null, server.withToken()).statusCode());
        assertEquals(400, send("GET", "/api/operations/abc", null, server.withToken()).statusCode());
        assertEquals(404, send("GET", "/api/operations/987654", null, server.withToken()).statusCode());
        assertEquals(400, send("GET", "/api/patrons?limit=-1", null, server.withToken()).statusCode());
        assertEquals(400, send("PUT", "/api/sites/X", "{not json", server.withToken()).statusCode());
        assertEquals(400, send("PUT", "/api/sites/X", "[1,2]", server.withToken()).statusCode());
        assertEquals(400, send("POST", "/api/operations", "{\"kind\":\"sideways\"}", server.withToken()).statusCode());
        assertEquals(405, send("PATCH", "/api/sites/X", "{}", server.withToken()).statusCode());
        JsonNode unknown = server.call("PUT", "/api/settings/clever", "{\"colour\":\"red\"}", 400);
        assertEquals("colour", unknown.get("field").asText());
        JsonNode district = server.call("PUT", "/api/settings/clever", "{\"district\":\"not-a-district\"}", 400);
        assertEquals("district", district.get("field").asText());
        JsonNode time = server.call("PUT", "/api/settings/sync", "{\"dailyTime\":\"25:61\"}", 400);
        assertEquals("dailyTime", time.get("field").asText());
        assertEquals(404, send("GET", "/api/settings/nothing", null, server.withToken()).statusCode());
        JsonNode site = server.call("PUT", "/api/sites/MAIN", "{\"name\":\"Main\",\"providerId\":\"no-such-school\"}", 400);
        assertTrue(site.toString(), site.get("error").asText().contains("no-such-school"));
        // last: Jetty closes the connection after refusing a body it did not read
        assertEquals(413, send("PUT", "/api/sites/X", "{\"name\":\"" + "x".repeat(70_000) + "\"}", server.withToken()).statusCode());
    }

    @Test
    public void secretsAreSealedAtRestAndNeverReturned() throws Exception {
        Path cfg = home.resolve("etc/org.rollbook.connector.clever.cfg");
        long deadline = System.currentTimeMillis() + 20_000;
        while (Files.readString(cfg).contains(clever.clientSecret())) {
            assertTrue("the hand-typed secret was sealed in " + cfg, System.currentTimeMillis() < deadline);
            Thread.sleep(200);
        }
        assertTrue(Files.readString(cfg), Files.readString(cfg).contains("enc:v1:"));
        JsonNode shown = server.call("GET", "/api/settings/clever", null, 200);
        assertEquals(true, shown.get("clientSecret").get("set").asBoolean());
        assertFalse(shown.toString().contains("enc:v1"));
        server.awaitConnector();
        JsonNode saved = server.call("PUT", "/api/settings/clever", "{\"clientSecret\":\"" + clever.clientSecret() + "\",\"pageSize\":50}", 200);
        assertFalse(saved.toString().contains(clever.clientSecret()));
        assertTrue(saved.toString(), saved.get("check").get("ok").asBoolean());
        JsonNode wrong = server.call("PUT", "/api/settings/clever", "{\"clientSecret\":\"not-the-secret\"}", 200);
        assertFalse(wrong.toString(), wrong.get("check").get("ok").asBoolean());
        server.call("PUT", "/api/settings/clever", "{\"clientSecret\":\"" + clever.clientSecret() + "\"}", 200);
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("derby") && !f.toString().endsWith(".dat")).toList()) {
                assertFalse("plain secret in " + f, Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).contains(clever.clientSecret()));
            }
        }
        Path security = home.resolve("data/security");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(security)));
        for (String f : new String[] {"secret.key", "admin.properties", "cli.token"}) {
            assertEquals(f, "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(security.resolve(f))));
        }
        assertFalse(Files.readString(security.resolve("admin.properties")).contains(RunningServer.ADMIN_PASSWORD));
        assertTrue(server.output().stream().noneMatch(l -> l.contains(clever.clientSecret()) || l.contains(RunningServer.ADMIN_PASSWORD)));
    }
}
