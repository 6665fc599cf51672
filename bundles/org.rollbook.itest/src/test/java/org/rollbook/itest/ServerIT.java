package org.rollbook.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bootClasspathLibrary;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.patron.Site;
import org.rollbook.api.store.PatronBatch;
import org.rollbook.api.store.PatronStore;
import org.rollbook.api.store.PatronWrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Boots the exported server bundles and talks to them over HTTP, as an admin's script would. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    BundleContext context;

    @Inject
    PatronStore store;

    @Configuration
    public Option[] config() throws IOException {
        Path work = Path.of(System.getProperty("rollbook.itest.dir", "target/it"));
        Path etc = Files.createDirectories(work.resolve("etc"));
        Files.writeString(etc.resolve("org.rollbook.store.derby.cfg"),
                "dataDirectory=" + work.resolve("data-" + System.nanoTime()).toAbsolutePath() + "\n");
        int port = freePort();
        List<Option> options = new ArrayList<>();
        File[] jars = new File(System.getProperty("rollbook.export", "../../run/target/export/rollbook")).listFiles();
        assertTrue("run the run module first: no exported bundles", jars != null && jars.length > 0);
        Map<String, Integer> levels = StartLevels.of(Path.of(System.getProperty("rollbook.launcher")));
        for (File jar : jars) {
            String bsn;
            try (JarFile j = new JarFile(jar)) {
                bsn = j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].strip();
            }
            options.add(bundle(jar.toURI().toString()).startLevel(levels.getOrDefault(bsn, 2)));
        }
        options.add(junitBundles());
        // The forked container's own remote end logs through slf4j: give the child JVM the API on its boot path.
        options.add(bootClasspathLibrary(new File(System.getProperty("rollbook.slf4j.api")).toURI().toString()));
        options.add(frameworkProperty("org.osgi.service.http.port").value(Integer.toString(port)));
        options.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        options.add(frameworkProperty("felix.fileinstall.dir").value(etc.toAbsolutePath().toString()));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("felix.fileinstall.poll").value("200"));
        options.add(frameworkProperty("ds.loglevel").value("warn"));
        // as run/rollbook.bndrun's -runsystempackages: the demo's emulator serves HTTP with the JDK's server
        options.add(frameworkProperty("org.osgi.framework.system.packages.extra").value("com.sun.net.httpserver"));
        options.add(frameworkProperty("rollbook.itest.port").value(Integer.toString(port)));
        options.add(workingDirectory(work.resolve("pax").toString()));
        options.add(cleanCaches(true));
        return options(options.toArray(new Option[0]));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + context.getProperty("rollbook.itest.port");
    }

    /** A GET with the command-line token (the security bundle writes it under the container's working directory). */
    private HttpResponse<String> get(String path) throws Exception {
        java.nio.file.Path token = java.nio.file.Path.of("data", "security", "cli.token");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10));
        if (java.nio.file.Files.exists(token)) {
            b.header("Authorization", "Bearer " + java.nio.file.Files.readString(token).strip());
        }
        return send(b.build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Servlets register asynchronously: wait until the path answers something other than "nothing here yet". */
    private HttpResponse<String> await(String path, int status) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        HttpResponse<String> last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                last = get(path);
                if (last.statusCode() == status) {
                    return last;
                }
            } catch (IOException notListeningYet) {
                // Jetty is still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " did not answer " + status + "; last: "
                + (last == null ? "no answer" : last.statusCode() + " " + last.body()));
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertTrue("JSON content type: " + r.headers().firstValue("content-type"),
                r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    @Test
    public void healthReportsVersionBundlesAndAnOpenStore() throws Exception {
        JsonNode health = json(await("/api/health", 200));
        assertEquals("ok", health.get("status").asText());
        assertTrue(health.get("version").asText().startsWith("0.1.0"));
        assertTrue(health.get("store").get("open").asBoolean());
        assertEquals("derby", health.get("store").get("kind").asText());
        assertTrue(health.get("store").get("schemaVersion").asInt() >= 1);
        List<String> names = new ArrayList<>();
        for (JsonNode b : health.get("bundles")) {
            names.add(b.get("name").asText());
            if (b.get("name").asText().startsWith("org.rollbook.")) {
                assertEquals(b.get("name").asText(), "active", b.get("state").asText());
            }
        }
        assertTrue(names.containsAll(List.of("org.rollbook.api", "org.rollbook.store.derby", "org.rollbook.web",
                "org.rollbook.server", "org.apache.felix.http.jetty12")));
    }

    @Test
    public void patronsAreListedSearchedAndShownWithProvenance() throws Exception {
        store.saveSite(new Site("EAST", "East Elementary", "school-east"));
        List<PatronWrite> writes = List.of(
                PatronWrite.create(PatronType.STUDENT, "Student", "it:district", Map.of(PatronField.GUID, "s-1",
                        PatronField.FIRST_NAME, "Zoë", PatronField.LAST_NAME, "Ñúñez", PatronField.EMAIL, "zoe@east.example",
                        PatronField.SITE, "EAST")),
                PatronWrite.create(PatronType.STUDENT, "Student", "it:district", Map.of(PatronField.GUID, "s-2",
                        PatronField.FIRST_NAME, "Ada", PatronField.LAST_NAME, "Lovelace", PatronField.BARCODE, "B-77")),
                PatronWrite.create(PatronType.TEACHER, "Staff", "it:district", Map.of(PatronField.GUID, "t-1",
                        PatronField.FIRST_NAME, "Alan", PatronField.LAST_NAME, "Turing")));
        long zoe = store.write(new PatronBatch(42, writes)).patronIds().get(0);

        JsonNode all = json(await("/api/patrons", 200));
        assertEquals(3, all.get("total").asInt());
        assertEquals(50, all.get("limit").asInt());

        JsonNode byEmail = json(get("/api/patrons?q=ZOE@east.example"));
        assertEquals(1, byEmail.get("total").asInt());
        assertEquals("Ñúñez", byEmail.get("items").get(0).get("fields").get("lastName").asText());

        assertEquals(1, json(get("/api/patrons?q=B-77")).get("total").asInt());
        assertEquals(1, json(get("/api/patrons?q=t-1")).get("total").asInt());
        assertEquals(1, json(get("/api/patrons?q=lov")).get("total").asInt());
        assertEquals(1, json(get("/api/patrons?type=teacher")).get("total").asInt());
        JsonNode page = json(get("/api/patrons?offset=1&limit=1"));
        assertEquals(3, page.get("total").asInt());
        assertEquals(1, page.get("items").size());

        JsonNode one = json(get("/api/patrons/" + zoe));
        assertEquals("student", one.get("type").asText());
        assertEquals(1, one.get("status").get("code").asInt());
        assertEquals(42, one.get("provenance").get("lastName").get("operation").asInt());
        assertEquals(1006, one.get("provenance").get("lastName").get("field").asInt());

        JsonNode sites = json(get("/api/sites"));
        assertEquals("school-east", sites.get("items").get(0).get("providerId").asText());
        assertEquals("East Elementary", json(get("/api/sites/EAST")).get("name").asText());
    }

    @Test
    public void badRequestsGetJsonErrorsNeverStackTraces() throws Exception {
        await("/api/patrons", 200);
        HttpResponse<String> limit = get("/api/patrons?limit=100000");
        assertEquals(400, limit.statusCode());
        assertEquals("limit must be between 1 and 500, not 100000", json(limit).get("error").asText());

        HttpResponse<String> type = get("/api/patrons?type=wizard");
        assertEquals(400, type.statusCode());
        assertTrue(json(type).get("error").asText().contains("type must be one of"));

        assertEquals(400, get("/api/patrons/not-a-number").statusCode());
        HttpResponse<String> missing = get("/api/patrons/987654321");
        assertEquals(404, missing.statusCode());
        assertEquals("no patron with id 987654321", json(missing).get("error").asText());
        assertEquals(404, get("/api/sites/NOPE").statusCode());
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(base() + "/api/patrons")).build());
        assertEquals("the API needs the token or a session: " + anonymous.body(), 401, anonymous.statusCode());

        HttpResponse<String> unknown = get("/api/no-such-thing");
        assertEquals(404, unknown.statusCode());
        assertTrue(json(unknown).get("error").asText().contains("no such endpoint"));
        for (HttpResponse<String> r : List.of(limit, type, missing, unknown)) {
            assertTrue("no stack trace: " + r.body(), !r.body().contains("Exception") && !r.body().contains("\tat "));
        }
    }
}
