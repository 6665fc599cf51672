package org.rollbook.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.rollbook.emulator.clever.CleverEmulator;
import org.rollbook.emulator.clever.District;
import org.rollbook.emulator.clever.DistrictSpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The exported server jar syncing a Clever district from the emulator, driven only over HTTP as an admin's
 * script would: check the connection, map schools to sites, run a full sync, read patrons and the log,
 * then an incremental sync after changes in the district.
 */
public class CleverServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private CleverEmulator clever;
    private Process server;
    private int port;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @Before
    public void start() throws Exception {
        clever = CleverEmulator.builder().seed(11).district(new DistrictSpec(300, 20, 8, 2, 60, 3)).build().start();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path home = tmp.newFolder().toPath();
        Path etc = Files.createDirectories(home.resolve("etc"));
        Files.writeString(etc.resolve("org.apache.felix.http.cfg"), "org.apache.felix.http.host=127.0.0.1\norg.osgi.service.http.port=" + port + "\n");
        Files.writeString(etc.resolve("org.rollbook.store.derby.cfg"), "dataDirectory=data\n");
        Files.writeString(etc.resolve("org.rollbook.connector.clever.cfg"), "district=https://clever.com/oauth/instant-login?client_id="
                + clever.clientId() + "&district_id=" + clever.districtId() + "\nclientId=" + clever.clientId()
                + "\nclientSecret=" + clever.clientSecret() + "\napiUrl=" + clever.baseUrl() + "\noauthUrl=" + clever.baseUrl()
                + "\npageSize=100\n");
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-jar", System.getProperty("rollbook.launcher"))
                .directory(home.toFile()).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    output.add(line);
                }
            } catch (IOException closed) {
                // gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (output.stream().noneMatch(l -> l.contains("is running at"))) {
            assertTrue("server started: " + output, System.currentTimeMillis() < deadline && server.isAlive());
            Thread.sleep(100);
        }
    }

    @After
    public void stop() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        if (clever != null) {
            clever.close();
        }
    }

    private JsonNode call(String method, String path, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(method + " " + path + ": " + r.body(), expected, r.statusCode());
        return r.body().startsWith("{") ? JSON.readTree(r.body()) : JSON.getNodeFactory().textNode(r.body());
    }

    private JsonNode awaitConnector() throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/connector")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return JSON.readTree(r.body());
            }
            assertTrue("the Clever connector came up: " + r.body(), System.currentTimeMillis() < deadline);
            Thread.sleep(200);
        }
    }

    private JsonNode finish(JsonNode queued) throws Exception {
        long id = queued.get("id").asLong();
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            JsonNode op = call("GET", "/api/operations/" + id, null, 200);
            String status = op.get("status").asText();
            if (!status.equals("queued") && !status.equals("running")) {
                return op;
            }
            assertTrue("operation " + id + " finished: " + op, System.currentTimeMillis() < deadline);
            Thread.sleep(200);
        }
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
        JsonNode connector = awaitConnector();
        assertEquals("clever", connector.get("provider").asText());
        assertEquals(clever.districtId(), connector.get("account").asText());
        assertTrue(connector.get("message").asText(), connector.get("ok").asBoolean());

        JsonNode schools = call("GET", "/api/schools", null, 200).get("items");
        assertEquals(3, schools.size());
        int n = 0;
        for (JsonNode s : schools) {
            call("PUT", "/api/sites/SITE" + (++n), JSON.writeValueAsString(Map.of("name", s.get("name").asText(),
                    "providerId", s.get("id").asText())), 200);
        }

        JsonNode full = finish(call("POST", "/api/operations", "{\"kind\":\"full\"}", 202));
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
        JsonNode inc = finish(call("POST", "/api/operations", "{\"kind\":\"incremental\"}", 202));
        assertEquals(inc.toString(), "completed", inc.get("status").asText());
        JsonNode found = call("GET", "/api/patrons?q=" + student, null, 200).get("items").get(0);
        assertEquals("Øverland", found.get("fields").get("lastName").asText());
        JsonNode gone = call("GET", "/api/patrons?q=" + leaving, null, 200).get("items").get(0);
        assertEquals(4, gone.get("status").get("code").asInt());

        JsonNode preview = finish(call("POST", "/api/operations", "{\"kind\":\"full\",\"preview\":true}", 202));
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
        JsonNode after = finish(call("POST", "/api/operations", "{\"kind\":\"incremental\"}", 202));
        assertEquals("the sync engine follows the selection: " + after, "completed", after.get("status").asText());
    }
}
