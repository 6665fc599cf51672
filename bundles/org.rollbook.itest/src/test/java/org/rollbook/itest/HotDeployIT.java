package org.rollbook.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestWatcher;
import org.junit.runner.Description;
import org.rollbook.emulator.clever.CleverEmulator;
import org.rollbook.emulator.clever.DistrictSpec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Hot deployment in the exported server jar (issue 6): while the server runs and syncs a Clever district from
 * the emulator, a newer Clever connector dropped into its deploy/ folder replaces the built-in one, the next
 * sync is run by the new version, and removing the jar brings the built-in version back — no restart. A jar
 * that is not a connector is refused with the reason in {@code <name>.jar.error}.
 */
public class HotDeployIT {

    static final String CLEVER = "org.rollbook.connector.clever";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** On a failure, what the server printed (into the failsafe report). */
    @Rule
    public TestWatcher serverOutput = new TestWatcher() {
        @Override
        protected void failed(Throwable e, Description description) {
            if (server != null) {
                System.out.println("server output of " + description.getMethodName() + ":\n" + String.join("\n", server.output()));
            }
        }
    };

    private CleverEmulator clever;
    private RunningServer server;
    private Path deploy;

    @Before
    public void start() throws Exception {
        clever = CleverEmulator.builder().seed(12).district(new DistrictSpec(120, 8, 4, 1, 20, 2)).build().start();
        server = new RunningServer(tmp.newFolder().toPath(), Map.of(
                "org.rollbook.connector.clever.cfg", RunningServer.cleverConnector(clever, 50),
                "org.rollbook.deploy.cfg", "directory=deploy\npollSeconds=1\n"),
                // the deployer says at INFO what it installed: the test waits for that line
                List.of("-Dorg.slf4j.simpleLogger.log.org.rollbook.deploy=info"));
        // the server started without it: the folder is picked up once it exists
        deploy = Files.createDirectories(server.home.resolve("deploy"));
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

    /** Copies the jar into deploy/ the way an admin would: under a temporary name, then renamed. */
    private void drop(Path jar, String name) throws Exception {
        Path part = Files.copy(jar, deploy.resolve("." + name + ".part"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static String message(JsonNode op) {
        return op.get("message").asText();
    }

    @Test
    public void aNewerCleverConnectorDroppedIntoDeployRunsTheNextSync() throws Exception {
        server.awaitConnector();
        assertEquals(2, server.mapSchools());
        JsonNode first = server.sync("{\"kind\":\"full\"}");
        assertEquals(first.toString(), "completed", first.get("status").asText());
        assertTrue(message(first), message(first).endsWith(" Connector: " + CLEVER + " 0.1.0.SNAPSHOT."));

        drop(ConnectorJars.clever(tmp.getRoot().toPath().resolve("build/clever-0.1.1.jar"), "0.1.1"), "clever-0.1.1.jar");
        server.awaitOutput("updated " + CLEVER + " from 0.1.0.SNAPSHOT to 0.1.1 (deploy/clever-0.1.1.jar)", 60_000);
        JsonNode connector = server.awaitConnector();
        assertTrue(connector.toString(), connector.get("ok").asBoolean());

        JsonNode second = server.sync("{\"kind\":\"full\"}");
        assertEquals(second.toString(), "completed", second.get("status").asText());
        assertTrue("run by the new version: " + message(second), message(second).endsWith(" Connector: " + CLEVER + " 0.1.1."));
        assertTrue(message(second), message(second).startsWith("0 created, 0 updated"));
        assertFalse("no refusal: " + server.output(), Files.exists(deploy.resolve("clever-0.1.1.jar.error")));

        Files.delete(deploy.resolve("clever-0.1.1.jar"));
        server.awaitOutput(CLEVER + " is back to its built-in version 0.1.0.SNAPSHOT (0.1.1 was removed)", 60_000);
        server.awaitConnector();
        JsonNode third = server.sync("{\"kind\":\"incremental\"}");
        assertEquals(third.toString(), "completed", third.get("status").asText());
        assertTrue(message(third), message(third).endsWith(" Connector: " + CLEVER + " 0.1.0.SNAPSHOT."));
    }

    /** The console's way: POST the jar to /api/connectors, list it, remove it again; a non-connector is refused. */
    @Test
    public void aConnectorUploadedThroughTheApiRunsTheNextSyncAndCanBeRemoved() throws Exception {
        server.awaitConnector();
        assertEquals(2, server.mapSchools());
        Path jar = ConnectorJars.clever(tmp.getRoot().toPath().resolve("build/clever-0.1.2.jar"), "0.1.2");
        java.net.http.HttpResponse<String> up = server.send("POST", "/api/connectors?name=clever-0.1.2.jar", null,
                server.withToken(), java.net.http.HttpRequest.BodyPublishers.ofFile(jar));
        assertEquals(up.body(), 200, up.statusCode());
        JsonNode result = RunningServer.JSON.readTree(up.body());
        assertEquals("updated", result.get("action").asText());
        assertEquals("0.1.2", result.get("version").asText());
        JsonNode listed = server.call("GET", "/api/connectors/" + CLEVER, null, 200);
        assertEquals("0.1.2", listed.get("version").asText());
        assertEquals("upload", listed.get("source").asText());
        server.awaitConnector();
        JsonNode run = server.sync("{\"kind\":\"full\"}");
        assertEquals(run.toString(), "completed", run.get("status").asText());
        assertTrue(message(run), message(run).endsWith(" Connector: " + CLEVER + " 0.1.2."));

        Path notes = ConnectorJars.bundle(tmp.getRoot().toPath().resolve("build/notes.jar"), Map.of("Bundle-SymbolicName", "com.example.notes"));
        java.net.http.HttpResponse<String> refused = server.send("POST", "/api/connectors?name=notes.jar", null,
                server.withToken(), java.net.http.HttpRequest.BodyPublishers.ofFile(notes));
        assertEquals(refused.body(), 400, refused.statusCode());
        assertTrue(refused.body(), refused.body().contains("not a Rollbook connector"));
        java.net.http.HttpResponse<String> anonymous = server.send("POST", "/api/connectors?name=clever.jar", null, Map.of(),
                java.net.http.HttpRequest.BodyPublishers.ofFile(jar));
        assertEquals(401, anonymous.statusCode());
        server.call("POST", "/api/connectors", "{}", 400);

        JsonNode removed = server.call("DELETE", "/api/connectors/" + CLEVER, null, 200);
        assertEquals(removed.toString(), "reverted", removed.get("action").asText());
        assertEquals("0.1.0.SNAPSHOT", server.call("GET", "/api/connectors/" + CLEVER, null, 200).get("version").asText());
        server.call("DELETE", "/api/connectors/com.example.nothing", null, 404);
    }

    @Test
    public void aDeployedConnectorIsInstalledOnceAgainAfterARestart() throws Exception {
        drop(ConnectorJars.clever(tmp.getRoot().toPath().resolve("build/clever-0.1.1.jar"), "0.1.1"), "clever-0.1.1.jar");
        server.awaitOutput("updated " + CLEVER + " from 0.1.0.SNAPSHOT to 0.1.1", 60_000);
        Path home = server.home;
        server.close();
        server = new RunningServer(home, Map.of("org.rollbook.deploy.cfg", "directory=deploy\npollSeconds=1\n"),
                List.of("-Dorg.slf4j.simpleLogger.log.org.rollbook.deploy=info"));
        // the launcher starts from a clean framework cache: the built-in version is back until the folder is read
        server.awaitOutput("updated " + CLEVER + " from 0.1.0.SNAPSHOT to 0.1.1 (deploy/clever-0.1.1.jar)", 60_000);
        server.awaitConnector();
        List<String> clevers = new java.util.ArrayList<>();
        for (JsonNode b : server.call("GET", "/api/health", null, 200).get("bundles")) {
            if (b.get("name").asText().equals(CLEVER)) {
                clevers.add(b.get("version").asText() + " " + b.get("state").asText());
            }
        }
        assertEquals(List.of("0.1.1 active"), clevers);
        assertEquals(2, server.mapSchools());
        JsonNode op = server.sync("{\"kind\":\"full\"}");
        assertEquals(op.toString(), "completed", op.get("status").asText());
        assertTrue(message(op), message(op).endsWith(" Connector: " + CLEVER + " 0.1.1."));
    }

    private static void await(Path file, boolean exists, RunningServer server) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (Files.exists(file) != exists) {
            assertTrue(file.getFileName() + (exists ? " was written: " : " was deleted: ") + server.output(),
                    System.currentTimeMillis() < deadline);
            Thread.sleep(200);
        }
    }

    @Test
    public void aJarThatIsNotAConnectorIsRefusedWithItsReasonBesideItUntilItIsFixed() throws Exception {
        // the wrong jar: a bundle, but not a connector
        drop(ConnectorJars.exported("org.rollbook.http"), "connector.jar");
        Files.writeString(deploy.resolve("notes.jar"), "not a jar at all");
        Path error = deploy.resolve("connector.jar.error");
        await(error, true, server);
        String reason = "connector.jar is not a Rollbook connector: it does not provide org.rollbook.api.roster.RosterConnector";
        server.awaitOutput(reason, 5_000);
        assertEquals(reason, Files.readString(error).strip());
        await(deploy.resolve("notes.jar.error"), true, server);
        assertTrue(Files.readString(deploy.resolve("notes.jar.error")),
                Files.readString(deploy.resolve("notes.jar.error")).startsWith("notes.jar is not a jar file"));

        // fixed: the right jar under the same name
        drop(ConnectorJars.clever(tmp.getRoot().toPath().resolve("build/clever-0.1.2.jar"), "0.1.2"), "connector.jar");
        server.awaitOutput("updated " + CLEVER + " from 0.1.0.SNAPSHOT to 0.1.2 (deploy/connector.jar)", 60_000);
        await(error, false, server);
        assertEquals("one warning per refusal, not one per look at the folder", 1,
                server.output().stream().filter(l -> l.contains(reason)).count());
        assertTrue(server.output().stream().filter(l -> l.contains(reason)).allMatch(l -> l.contains("WARN")));

        Files.delete(deploy.resolve("notes.jar"));
        await(deploy.resolve("notes.jar.error"), false, server);
        JsonNode connector = server.awaitConnector();
        assertTrue(connector.toString(), connector.get("ok").asBoolean());
    }
}
