package org.rollbook.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The exported executable jar as an admin runs it: start, answer, stop on SIGTERM, refuse bad setups in one line. */
public class ExecutableJarIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Process server;
    private final List<String> output = new CopyOnWriteArrayList<>();

    @After
    public void stop() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Path home(int port, String dataDirectory) throws IOException {
        Path home = tmp.newFolder().toPath();
        Path etc = Files.createDirectories(home.resolve("etc"));
        Files.writeString(etc.resolve("org.apache.felix.http.cfg"),
                "org.apache.felix.http.host=127.0.0.1\norg.osgi.service.http.port=" + port
                + "\norg.apache.felix.http.runtime.init.rollbook.http.config=etc\n");
        Files.writeString(etc.resolve("org.rollbook.store.derby.cfg"), "dataDirectory=" + dataDirectory + "\n");
        return home;
    }

    private void start(Path home) throws IOException {
        output.clear();
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-jar", System.getProperty("rollbook.launcher"))
                .directory(home.toFile()).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    output.add(line);
                }
            } catch (IOException closed) {
                // process gone
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    private void awaitLine(String fragment) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (output.stream().anyMatch(l -> l.contains(fragment))) {
                return;
            }
            if (!server.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line with '" + fragment + "'; output: " + output);
    }

    /**
     * The health answer on the configured port. The banner comes once Jetty listens; the whiteboard may register
     * the API's servlets a moment later (a 404 until then), so this waits up to 20 s for a connection and a
     * registered servlet, as {@code RunningServer} does for the other server tests.
     */
    private static HttpResponse<String> awaitHealth(int port) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try {
                HttpResponse<String> r = get(port, "/api/health");
                if (r.statusCode() != 404 || System.currentTimeMillis() > deadline) {
                    return r;
                }
            } catch (java.net.ConnectException notYet) {
                if (System.currentTimeMillis() > deadline) {
                    throw notYet;
                }
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A GET on loopback; {@code headers}: name, value, name, value, … */
    private static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void startsSaysWhereItIsAndClosesTheStoreOnSigterm() throws Exception {
        int port = freePort();
        Path home = home(port, "data");
        start(home);
        awaitLine("is running at");
        awaitHealth(port);
        String dataLine = "data:    " + home.resolve("data").toRealPath();
        assertTrue(output.stream().anyMatch(l -> l.contains(dataLine)));
        HttpResponse<String> health = awaitHealth(port);
        assertEquals(200, health.statusCode());
        assertTrue(health.body(), health.body().contains("\"status\":\"ok\""));
        String token = Files.readString(home.resolve("data/security/cli.token")).strip();
        HttpResponse<String> details = get(port, "/api/health", "Authorization", "Bearer " + token);
        assertTrue(details.body(), details.body().contains("\"open\":true"));

        server.destroy(); // SIGTERM
        assertTrue("stops within 30 s", server.waitFor(30, TimeUnit.SECONDS));
        String derbyLog = Files.readString(home.resolve("data/derby.log"));
        assertTrue("Derby was shut down in order: " + derbyLog, derbyLog.contains("Shutting down instance"));

        start(home); // the same data again
        awaitLine("is running at");
        assertEquals(200, awaitHealth(port).statusCode());
    }

    @Test
    public void aTakenPortIsOneLineAndExitStatusOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            start(home(taken.getLocalPort(), "data"));
            awaitExit();
            assertEquals(1, server.exitValue());
            assertOneLineError("rollbook: cannot start: port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
        }
    }

    @Test
    public void anUnusableDataDirectoryIsOneLineAndExitStatusOne() throws Exception {
        Path file = Files.writeString(tmp.newFile().toPath(), "not a directory");
        start(home(freePort(), file.resolve("data").toString()));
        awaitExit();
        assertEquals(1, server.exitValue());
        assertOneLineError("rollbook: cannot start: cannot create the data directory " + file.resolve("data"));
    }

    private void awaitExit() throws Exception {
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(server.pid()), "Thread.print").redirectErrorStream(true).start();
            String threads = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("still running after 60 s; output: " + output + "\nthreads:\n" + threads);
        }
    }

    private void assertOneLineError(String start) throws InterruptedException {
        Thread.sleep(200); // let the reader drain
        List<String> errors = output.stream().filter(l -> l.startsWith("rollbook: cannot start:")).toList();
        assertEquals("exactly one error line in " + output, 1, errors.size());
        assertTrue(errors.get(0), errors.get(0).startsWith(start));
        assertFalse("no stack trace: " + output, output.stream().anyMatch(l -> l.startsWith("\tat ") || l.contains("Exception")));
        assertFalse("no half-started server", output.stream().anyMatch(l -> l.contains("is running at")));
    }
}
