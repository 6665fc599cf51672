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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The exported server jar in a folder of its own, with the given etc/ files, talked to over HTTP. */
final class RunningServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final int port;
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    /** The administrator's password every test server starts with. */
    static final String ADMIN_PASSWORD = "it-admin-password";

    final Path home;
    private String token;

    RunningServer(Path home, Map<String, String> etc) throws Exception {
        this(home, etc, List.of());
    }

    /** With extra JVM options, e.g. a log level for one package. */
    RunningServer(Path home, Map<String, String> etc, List<String> jvmOptions) throws Exception {
        this.home = home;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createDirectories(home.resolve("etc"));
        Files.writeString(dir.resolve("org.apache.felix.http.cfg"), "org.apache.felix.http.host=127.0.0.1\norg.osgi.service.http.port=" + port
                + "\norg.apache.felix.http.runtime.init.rollbook.http.config=etc\n");
        Files.writeString(dir.resolve("org.rollbook.store.derby.cfg"), "dataDirectory=data\n");
        for (Map.Entry<String, String> e : etc.entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", System.getProperty("rollbook.launcher")));
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        pb.environment().put("ROLLBOOK_ADMIN_PASSWORD", ADMIN_PASSWORD);
        process = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
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
            assertTrue("server started: " + output, System.currentTimeMillis() < deadline && process.isAlive());
            Thread.sleep(100);
        }
        // The banner comes once Jetty listens; the API's servlets and filters register on their own: wait for them.
        while (!apiReady()) {
            assertTrue("the API answers: " + output, System.currentTimeMillis() < deadline && process.isAlive());
            Thread.sleep(100);
        }
    }

    private boolean apiReady() {
        try {
            return send("GET", "/api/health", null, Map.of()).statusCode() != 404
                    && send("GET", "/api/session", null, Map.of()).statusCode() == 401
                    && send("GET", "/api/patrons?limit=1", null, Map.of()).statusCode() == 401;
        } catch (Exception notYet) {
            return false;
        }
    }

    /** The etc/ file content that points the Clever connector at an emulator's district. */
    static String cleverConnector(org.rollbook.emulator.clever.CleverEmulator clever, int pageSize) {
        return "district=" + clever.districtId() + "\nclientId=" + clever.clientId() + "\nclientSecret=" + clever.clientSecret()
                + "\napiUrl=" + clever.baseUrl() + "\noauthUrl=" + clever.baseUrl() + "\npageSize=" + pageSize + "\n";
    }

    /** What the server printed so far. */
    List<String> output() {
        return List.copyOf(output);
    }

    /** The command-line token the server wrote at its first start. */
    String token() throws IOException {
        if (token == null) {
            token = Files.readString(home.resolve("data/security/cli.token")).strip();
        }
        return token;
    }

    /** The header that carries the command-line token. */
    Map<String, String> withToken() throws IOException {
        return Map.of("Authorization", "Bearer " + token());
    }

    /** An API call with the command-line token; asserts the status. */
    JsonNode call(String method, String path, String body, int expected) throws Exception {
        return call(method, path, body, expected, withToken());
    }

    /** An API call with exactly these headers (none: anonymous); asserts the status. */
    JsonNode call(String method, String path, String body, int expected, Map<String, String> headers) throws Exception {
        HttpResponse<String> r = send(method, path, body, headers);
        assertEquals(method + " " + path + ": " + r.body(), expected, r.statusCode());
        return r.body().startsWith("{") ? JSON.readTree(r.body()) : JSON.getNodeFactory().textNode(r.body());
    }

    /** A request with exactly these headers; the whole response. */
    HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        return send(method, path, body == null ? null : "application/json", headers,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    /** A request with any body (e.g. a jar); {@code contentType} null for none. */
    HttpResponse<String> send(String method, String path, String contentType, Map<String, String> headers,
            HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        headers.forEach(b::header);
        b.method(method, body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // A pooled connection the server closed after its last answer (it does after refusing a body it did not
            // read): nothing reached the server, so ask once more on a new connection.
            if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                throw e;
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Waits until a roster connector is configured and bound, and returns GET /api/connector. */
    JsonNode awaitConnector() throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        String last = "no answer";
        while (true) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/connector"))
                        .header("Authorization", "Bearer " + token()).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return JSON.readTree(r.body());
                }
                last = r.body();
            } catch (java.net.ConnectException notYet) {
                last = "connection refused"; // see ExecutableJarIT.awaitHealth
            }
            assertTrue("the connector came up: " + last, System.currentTimeMillis() < deadline);
            Thread.sleep(200);
        }
    }

    /** Maps every school the provider lists to a site SITE1, SITE2, …; returns how many. */
    int mapSchools() throws Exception {
        int n = 0;
        for (JsonNode s : call("GET", "/api/schools", null, 200).get("items")) {
            call("PUT", "/api/sites/SITE" + (++n), JSON.writeValueAsString(Map.of("name", s.get("name").asText(),
                    "providerId", s.get("id").asText())), 200);
        }
        return n;
    }

    /** Queues a run and waits for it to leave queued/running. */
    JsonNode sync(String body) throws Exception {
        long id = call("POST", "/api/operations", body, 202).get("id").asLong();
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

    /** Waits for a line of the server's output containing the text, and returns it. */
    String awaitOutput(String text, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            for (String line : output) {
                if (line.contains(text)) {
                    return line;
                }
            }
            assertTrue("the server printed '" + text + "': " + output, System.currentTimeMillis() < deadline && process.isAlive());
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
