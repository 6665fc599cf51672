package org.rollbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollbookTest {

    record Result(int code, String out, String err) {
    }

    @TempDir
    Path home;

    private StubServer api;
    private final Map<String, String> env = new HashMap<>();
    private boolean terminal;

    private static final String HEALTHY = """
            {"status":"ok","version":"0.1.0.SNAPSHOT","problems":[],
             "store":{"open":true,"kind":"derby","location":"data/patrons","schemaVersion":3,"patrons":1300,"sites":2,"detail":"open"},
             "bundles":[]}""";
    private static final String CONNECTOR = """
            {"provider":"clever","account":"5940d254","ok":true,"message":"district Demo: 1300 users"}""";

    static String op(long id, String status, long processed, long expected, String message, String counts) {
        return "{\"id\":" + id + ",\"integration\":\"clever:5940d254\",\"kind\":\"full\",\"trigger\":\"manual\",\"preview\":false,"
                + "\"types\":[\"student\"],\"status\":\"" + status + "\",\"created\":\"2026-01-05T14:03:00Z\","
                + "\"started\":" + (status.equals("queued") ? "null" : "\"2026-01-05T14:03:02Z\"") + ","
                + "\"finished\":" + (status.equals("queued") || status.equals("running") ? "null" : "\"2026-01-05T14:03:14Z\"")
                + ",\"processed\":" + processed + ",\"expected\":" + expected + ",\"message\":"
                + (message == null ? "null" : Json.quote(message)) + ",\"counts\":[" + counts + "]}";
    }

    static final String COUNTS = "{\"situation\":\"unmatched\",\"outcome\":\"created\",\"type\":\"student\",\"site\":\"SITE1\",\"records\":300},"
            + "{\"situation\":\"linked\",\"outcome\":\"updated\",\"type\":\"student\",\"site\":\"SITE1\",\"records\":2},"
            + "{\"situation\":\"absent\",\"outcome\":\"updated\",\"type\":\"student\",\"site\":\"SITE1\",\"records\":1}";

    @BeforeEach
    void start() throws Exception {
        api = new StubServer();
        Files.createDirectories(home.resolve("data/security"));
        Files.writeString(home.resolve("data/security/cli.token"), "tok-123\n");
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/org.apache.felix.http.cfg"),
                "org.apache.felix.http.host=127.0.0.1\norg.osgi.service.http.port=" + api.port() + "\n");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Rollbook(env, home, terminal, ZoneOffset.UTC, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Duration.ofMillis(10), Duration.ofMillis(0)).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ the command line

    @Test
    void helpListsCommandsAndExitCodes() {
        for (String[] args : new String[][] {{}, {"help"}, {"--help"}, {"sync", "-h"}}) {
            Result r = run(args);
            assertEquals(0, r.code());
            assertTrue(r.out().contains("Exit codes:"), r.out());
            assertTrue(r.out().contains("sync [--full|--incremental]"), r.out());
        }
        assertTrue(api.requests.isEmpty());
    }

    @Test
    void aWrongCommandLineIsExitCode2WithOneLine() {
        Result r = run("synk");
        assertEquals(2, r.code());
        assertEquals("rollbook: unknown command 'synk'; see: rollbook help\n", r.err());
        assertEquals(2, run("sync", "--full", "--incremental").code());
        assertEquals("rollbook: log needs an operation id, e.g. rollbook log 4; see: rollbook help\n", run("log").err());
        assertEquals("rollbook: status has no option --wait; see: rollbook help\n", run("status", "--wait").err());
        assertEquals("rollbook: 'x' is not an operation id; see: rollbook help\n", run("approve", "x").err());
        assertEquals(2, run("operations", "--limit").code());
        assertEquals(2, run("operations", "--limit", "ten").code());
        assertEquals(2, run("log", "3", "--format", "xml").code());
        assertEquals(2, run("status", "--url", "ftp://x").code());
        assertEquals(2, run("sync", "extra").code());
        assertTrue(api.requests.isEmpty(), "nothing was sent: " + api.requests);
    }

    // ------------------------------------------------------------------ status

    @Test
    void statusFitsOnOneScreenAndFindsTheServerAndTokenOfItsHome() {
        api.on("GET /api/health", 200, HEALTHY).on("GET /api/connector", 200, CONNECTOR)
                .on("GET /api/operations?limit=1", 200, "{\"items\":[" + op(3, "completed", 303, 303, "300 created, 2 updated", COUNTS) + "]}");
        Result r = run("status");
        assertEquals(0, r.code(), r.err());
        assertEquals("Rollbook 0.1.0.SNAPSHOT at http://127.0.0.1:" + api.port() + ": ok\n"
                + "  store       derby, 1300 patrons, 2 sites (data/patrons)\n"
                + "  connector   clever 5940d254: check ok, district Demo: 1300 users\n"
                + "  latest run  operation 3, full sync, completed 2026-01-05 14:03:14 (12s): 300 created, 2 updated, 1 transferred\n"
                + "              300 created, 2 updated\n", r.out());
        assertEquals("", r.err());
        assertTrue(api.requests.stream().allMatch(q -> "Bearer tok-123".equals(q.authorization())), api.requests.toString());
    }

    @Test
    void statusShowsProblemsAndAMissingConnectorWithExitCode1() {
        api.on("GET /api/health", 503, """
                {"status":"degraded","version":"0.1.0","problems":["bundle org.rollbook.sync is installed"],
                 "store":{"open":false,"detail":"no patron store is running"}}""")
                .on("GET /api/connector", 503, "{\"error\":\"no roster provider is connected: configure Clever or ClassLink first\"}")
                .on("GET /api/operations?limit=1", 200, "{\"items\":[]}");
        Result r = run("status");
        assertEquals(1, r.code());
        assertTrue(r.out().contains(": degraded\n"), r.out());
        assertTrue(r.out().contains("  problem     bundle org.rollbook.sync is installed\n"), r.out());
        assertTrue(r.out().contains("  store       not open: no patron store is running\n"), r.out());
        assertTrue(r.out().contains("  connector   none: no roster provider is connected"), r.out());
        assertTrue(r.out().contains("  latest run  none yet\n"), r.out());
    }

    @Test
    void jsonPrintsTheServersAnswersAsTheyAre() {
        api.on("GET /api/health", 200, HEALTHY).on("GET /api/connector", 200, CONNECTOR)
                .on("GET /api/operations?limit=1", 200, "{\"items\":[]}")
                .on("GET /api/operations?offset=0&limit=20", 200, "{\"items\":[]}");
        Result r = run("status", "--json");
        assertEquals(0, r.code());
        Map<String, Object> all = Json.object(r.out());
        assertEquals("clever", Json.str(Json.obj(all, "connector"), "provider"));
        assertEquals(1300L, Json.num(Json.obj(Json.obj(all, "health"), "store"), "patrons", 0));
        assertEquals("{\"items\":[]}\n", run("operations", "--json").out());
    }

    // ------------------------------------------------------------------ sync, preview, --wait

    @Test
    void syncWaitFollowsTheRunAndExits0WhenItCompleted() {
        api.on("POST /api/operations", 202, op(5, "queued", 0, 0, null, ""))
                .on("GET /api/operations/5", 200, op(5, "running", 0, 0, null, ""), op(5, "running", 150, 303, null, ""),
                        op(5, "completed", 303, 303, "300 created, 2 updated, 0 unchanged, 0 disputed, 0 skipped, 1 transferred, 0 failed.", COUNTS));
        Result r = run("sync", "--wait");
        assertEquals(0, r.code(), r.err());
        assertEquals("operation 5 completed: full sync, 300 created, 2 updated, 1 transferred (12s)\n", r.out(),
                "the server's message is left out when it only repeats the counts");
        assertEquals("{\"kind\":\"full\",\"preview\":false}", api.requests.get(0).body());
        assertTrue(r.err().contains("operation 5 queued"), r.err());
        assertTrue(r.err().contains("operation 5 running: 150 of 303 records (49%)"), r.err());
        assertFalse(r.err().contains("\r"), "periodic lines, not a rewritten one, when not on a terminal");
    }

    @Test
    void onATerminalProgressRewritesOneLine() {
        terminal = true;
        api.on("POST /api/operations", 202, op(6, "running", 10, 100, null, ""))
                .on("GET /api/operations/6", 200, op(6, "running", 50, 100, null, ""), op(6, "completed", 100, 100, null, COUNTS));
        Result r = run("preview", "--incremental", "--types", "student, teacher", "--wait");
        assertEquals(0, r.code());
        assertEquals("{\"kind\":\"incremental\",\"preview\":true,\"types\":[\"student\",\"teacher\"]}", api.requests.get(0).body());
        assertTrue(r.err().startsWith("\roperation 6 running: 10 of 100 records (10%), 0s\roperation 6 running: 50 of 100"), r.err());
        assertFalse(r.err().contains("\n"), r.err());
        assertTrue(r.err().endsWith("\r"), "the line is cleared at the end");
    }

    @Test
    void aHeldRunIsExitCode3AndSaysHowToGoOn() {
        api.on("POST /api/operations", 202, op(7, "queued", 0, 0, null, ""))
                .on("GET /api/operations/7", 200, op(7, "held", 303, 303, "held: 300 creates exceed 10% of 1000 patrons", COUNTS));
        Result r = run("sync", "--wait", "--full");
        assertEquals(3, r.code());
        assertTrue(r.out().startsWith("operation 7 held: full sync, 300 created"), r.out());
        assertTrue(r.out().contains("  held: 300 creates exceed 10% of 1000 patrons\n"), r.out());
        assertTrue(r.out().contains("rollbook approve 7"), r.out());
    }

    @Test
    void aFailedOrCancelledRunIsExitCode1() {
        api.on("POST /api/operations", 202, op(8, "queued", 0, 0, null, ""))
                .on("GET /api/operations/8", 200, op(8, "failed", 0, 0, "failed: the provider answered 500", ""));
        Result r = run("sync", "--wait");
        assertEquals(1, r.code());
        assertEquals("operation 8 failed: full sync, no records (12s)\n  failed: the provider answered 500\n", r.out());
    }

    @Test
    void withoutWaitSyncSaysWhatWasQueued() {
        api.on("POST /api/operations", 202, op(9, "queued", 0, 0, null, ""));
        Result r = run("sync");
        assertEquals(0, r.code());
        assertEquals("operation 9 queued: full sync\n", r.out());
        assertEquals(1, api.requests.size());
    }

    @Test
    void aRefusedRequestIsExitCode1WithTheServersError() {
        api.on("POST /api/operations", 409, "{\"error\":\"operation 4 is held; approve or reject it first\"}");
        Result r = run("sync", "--wait");
        assertEquals(1, r.code());
        assertEquals("", r.out());
        assertEquals("rollbook: operation 4 is held; approve or reject it first\n", r.err());

        api.on("POST /api/operations/3/approve", 409, "{\"error\":\"operation 3 is not held (it is completed)\"}");
        r = run("approve", "3");
        assertEquals(1, r.code());
        assertEquals("rollbook: operation 3 is not held (it is completed)\n", r.err());

        api.onText("GET /api/operations?offset=0&limit=20", 502, "text/html", "<html><body>Bad gateway</body></html>");
        assertEquals("rollbook: HTTP 502: <html><body>Bad gateway</body></html>\n", run("operations").err());
    }

    // ------------------------------------------------------------------ operations, log, actions

    @Test
    void operationsIsATable() {
        String undo = "{\"id\":11,\"kind\":\"undo\",\"preview\":false,\"status\":\"queued\",\"started\":null,\"undoOf\":10,\"counts\":[]}";
        String preview = op(10, "completed", 303, 303, null, COUNTS).replace("\"preview\":false", "\"preview\":true");
        api.on("GET /api/operations?offset=0&limit=2", 200, "{\"items\":[" + undo + "," + preview + "]}");
        Result r = run("operations", "--limit", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                ID  KIND        PREVIEW  STATUS     STARTED              COUNTS
                11  undo of 10  no       queued     -                    -
                10  full        yes      completed  2026-01-05 14:03:02  300 created, 2 updated, 1 transferred
                """, r.out());
    }

    @Test
    void logStreamsTheDownloadWithItsFilters() {
        String csv = "seq,situation,outcome\n1,unmatched,created\n2,linked,updated Øverland\n";
        api.onText("GET /api/operations/4/log.csv?situation=linked&type=student&site=MAIN+1", 200, "text/csv", csv);
        Result r = run("log", "4", "--format=csv", "--situation", "linked", "--type", "student", "--site", "MAIN 1");
        assertEquals(0, r.code(), r.err());
        assertEquals(csv, r.out());
        api.onText("GET /api/operations/4/log.txt", 200, "text/plain", "Rollbook operation 4\n");
        assertEquals("Rollbook operation 4\n", run("log", "4").out());
        api.on("GET /api/operations/99/log.txt", 404, "{\"error\":\"no operation 99\"}");
        Result missing = run("log", "99");
        assertEquals(1, missing.code());
        assertEquals("rollbook: no operation 99\n", missing.err());
    }

    @Test
    void actionsSayWhatHappened() {
        api.on("POST /api/operations/7/approve", 202, op(7, "queued", 0, 0, "approved; waiting to be applied", ""))
                .on("POST /api/operations/7/reject", 202, op(7, "cancelled", 0, 0, "rejected", ""))
                .on("POST /api/operations/5/cancel", 202, op(5, "running", 10, 100, null, ""))
                .on("POST /api/operations/4/undo", 202,
                        "{\"id\":12,\"kind\":\"undo\",\"preview\":false,\"status\":\"queued\",\"undoOf\":4,\"counts\":[]}")
                .on("GET /api/operations/12", 200,
                        "{\"id\":12,\"kind\":\"undo\",\"preview\":false,\"status\":\"completed\",\"undoOf\":4,\"counts\":[]}");
        assertEquals("operation 7 approved: queued to be applied\n", run("approve", "7").out());
        assertEquals("operation 7 rejected (cancelled); nothing was written\n", run("reject", "7").out());
        assertEquals("operation 5 is being cancelled; it stops after its current batch\n", run("cancel", "5").out());
        Result undo = run("undo", "4", "--wait");
        assertEquals(0, undo.code());
        assertEquals("operation 12 completed: undo of 4, no records\n", undo.out());
    }

    // ------------------------------------------------------------------ reaching the server, the token

    @Test
    void aServerThatIsNotRunningIsExitCode4() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Result r = run("status", "--url", "http://127.0.0.1:" + closed);
        assertEquals(4, r.code());
        assertEquals("rollbook: cannot reach the server at http://127.0.0.1:" + closed + "; is it running? (./run/rollbook)\n", r.err());
    }

    @Test
    void aRefusedTokenIsExitCode4SayingWhichToken() {
        api.on("GET /api/health", 200, HEALTHY).on("GET /api/connector", 401, "{\"error\":\"sign in first\"}");
        env.put("ROLLBOOK_TOKEN", "from-env");
        Result r = run("status");
        assertEquals(4, r.code());
        assertEquals("rollbook: the token was refused: sign in first (token from ROLLBOOK_TOKEN)\n", r.err());
        assertEquals("Bearer from-env", api.requests.get(0).authorization(), "ROLLBOOK_TOKEN overrides the token file");
        assertEquals("", r.out(), "nothing half-printed");
    }

    @Test
    void tokenFileOptionAndAMissingToken() throws Exception {
        api.on("GET /api/operations?offset=0&limit=20", 200, "{\"items\":[]}");
        Path other = Files.writeString(home.resolve("other.token"), "  tok-other \n");
        env.put("ROLLBOOK_TOKEN", "from-env");
        assertEquals(0, run("operations", "--token-file", other.toString()).code());
        assertEquals("Bearer tok-other", api.requests.get(0).authorization());

        Result none = run("operations", "--token-file", home.resolve("nope").toString());
        assertEquals(4, none.code());
        assertTrue(none.err().startsWith("rollbook: there is no token file "), none.err());

        env.clear();
        Files.delete(home.resolve("data/security/cli.token"));
        api.on("GET /api/operations?offset=0&limit=1", 401, "{\"error\":\"sign in first\"}");
        Result missing = run("operations", "--limit", "1");
        assertEquals(4, missing.code());
        assertTrue(missing.err().contains("the server wants a token and there is none"), missing.err());
        assertEquals(null, api.requests.get(api.requests.size() - 1).authorization());
    }

    @Test
    void theDefaultUrlComesFromTheHttpConfiguration() throws Exception {
        assertEquals("http://127.0.0.1:" + api.port(), Server.configuredUrl(home).toString());
        Files.writeString(home.resolve("etc/org.apache.felix.http.cfg"), "org.apache.felix.http.host=0.0.0.0\norg.osgi.service.http.port=I\"8081\"\n");
        assertEquals("http://127.0.0.1:8081", Server.configuredUrl(home).toString());
        Files.writeString(home.resolve("etc/org.apache.felix.http.cfg"), "org.apache.felix.http.host=::1\n");
        assertEquals("http://[::1]:8080", Server.configuredUrl(home).toString());
        assertEquals("http://127.0.0.1:8080", Server.configuredUrl(home.resolve("nowhere")).toString());
    }
}
