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
    /** The server's working directory (etc/, data/, deploy/). */
    final Path home;
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

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
        process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).start();
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
    }

    JsonNode call(String method, String path, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(method + " " + path + ": " + r.body(), expected, r.statusCode());
        return r.body().startsWith("{") ? JSON.readTree(r.body()) : JSON.getNodeFactory().textNode(r.body());
    }

    /** Waits until a roster connector is configured and bound, and returns GET /api/connector. */
    JsonNode awaitConnector() throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        String last = "no answer";
        while (true) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/connector")).build(),
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

    /** The server's output so far. */
    List<String> output() {
        return List.copyOf(output);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
