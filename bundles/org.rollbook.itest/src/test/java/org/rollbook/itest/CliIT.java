package org.rollbook.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

/**
 * The {@code rollbook} command line (its jar, as run/rollbook runs it) against the exported server jar syncing a
 * Clever district from the emulator: status, a preview, a sync held by the safety threshold (exit 3), approve
 * --wait (exit 0 with the counts), an incremental sync, the runs as a table and as JSON, a log as CSV, a refused
 * request (exit 1 with the server's message), a bad token and a server that is not running (exit 4). The CLI
 * finds the port and the token in the server's directory, as it does in run/.
 */
public class CliIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private CleverEmulator clever;
    private RunningServer server;
    private Path home;

    record Run(int code, String out, String err) {
    }

    @Before
    public void start() throws Exception {
        clever = CleverEmulator.builder().seed(12).district(new DistrictSpec(300, 20, 8, 2, 60, 3)).build().start();
        home = tmp.newFolder().toPath();
        server = new RunningServer(home, Map.of("org.rollbook.connector.clever.cfg",
                RunningServer.cleverConnector(clever, 100),
                // the first full sync creates every rostered person: over this threshold, so it is held
                "org.rollbook.sync.cfg", "holdCreates=100\n"));
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

    /** Runs the CLI jar in the server's directory setting (-Drollbook.home, as run/rollbook does), stderr not a terminal. */
    private Run cli(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Drollbook.home=" + home, "-Drollbook.terminal=false", "-jar", System.getProperty("rollbook.cli")));
        command.addAll(List.of(args));
        File out = tmp.newFile();
        File err = tmp.newFile();
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.getRoot()).redirectOutput(out).redirectError(err);
        pb.environment().remove("ROLLBOOK_TOKEN");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue("rollbook " + String.join(" ", args) + " ended", p.waitFor(180, TimeUnit.SECONDS));
        return new Run(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }

    private Run cli(String... args) throws Exception {
        return cli(Map.of(), args);
    }

    private int rostered() {
        Set<String> ids = new HashSet<>();
        for (String role : List.of(District.ROLE_STUDENT, District.ROLE_TEACHER, District.ROLE_STAFF, District.ROLE_DISTRICT_ADMIN)) {
            ids.addAll(clever.district().userIds(role));
        }
        return ids.size();
    }

    @Test
    public void anAdminScriptsSyncsWithTheCommandLine() throws Exception {
        server.awaitConnector();
        assertEquals(3, server.mapSchools());
        int people = rostered();

        Run status = cli("status");
        assertEquals(status.toString(), 0, status.code());
        assertTrue(status.out(), status.out().startsWith("Rollbook "));
        assertTrue(status.out(), status.out().contains("at http://127.0.0.1:" + server.port + ": ok\n"));
        assertTrue(status.out(), status.out().contains("  connector   clever " + clever.districtId() + ": check ok"));
        assertTrue(status.out(), status.out().contains("  latest run  none yet\n"));

        Run preview = cli("preview", "--wait");
        assertEquals(preview.toString(), 0, preview.code());
        assertTrue(preview.out(), preview.out().startsWith("operation 1 completed: full preview, " + people + " created"));
        assertTrue(preview.out(), preview.out().contains("preview, nothing was written"));
        assertTrue("progress on stderr: " + preview.err(), preview.err().startsWith("operation 1 "));

        Run held = cli("sync", "--wait");
        assertEquals(held.toString(), 3, held.code());
        assertTrue(held.out(), held.out().startsWith("operation 2 held: full sync, " + people + " created"));
        assertTrue(held.out(), held.out().contains("rollbook approve 2"));

        Run approved = cli("approve", "2", "--wait");
        assertEquals(approved.toString(), 0, approved.code());
        assertTrue(approved.out(), approved.out().startsWith("operation 2 completed: full sync, " + people + " created ("));
        assertEquals(people, server.call("GET", "/api/patrons?limit=1", null, 200).get("total").asInt());

        String student = clever.district().userIds(District.ROLE_STUDENT).get(3);
        clever.district().updateUser(student, Map.of("name.last", "Øverland"));
        Run incremental = cli("sync", "--incremental", "--wait");
        assertEquals(incremental.toString(), 0, incremental.code());
        assertTrue(incremental.out(), incremental.out().startsWith("operation 3 completed: incremental sync, 1 updated"));

        Run table = cli("operations", "--limit", "5");
        assertEquals(table.toString(), 0, table.code());
        List<String> rows = table.out().lines().toList();
        assertEquals(table.out(), 4, rows.size());
        assertTrue(rows.get(0), rows.get(0).matches("ID +KIND +PREVIEW +STATUS +STARTED +COUNTS"));
        assertTrue(rows.get(1), rows.get(1).matches("3 +incremental +no +completed +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +1 updated"));
        assertTrue(rows.get(2), rows.get(2).matches("2 +full +no +completed .* " + people + " created"));
        assertTrue(rows.get(3), rows.get(3).matches("1 +full +yes +completed .* " + people + " created"));

        Run json = cli("operations", "--json", "--limit", "1");
        assertEquals(json.toString(), 0, json.code());
        JsonNode ops = RunningServer.JSON.readTree(json.out());
        assertEquals(3, ops.get("items").get(0).get("id").asInt());

        int teachers = clever.district().userIds(District.ROLE_TEACHER).size();
        Run csv = cli("log", "2", "--format", "csv", "--type", "teacher", "--outcome", "created");
        assertEquals(csv.toString(), 0, csv.code());
        assertTrue(csv.out(), csv.out().startsWith("seq,situation,outcome,type,"));
        assertEquals(csv.out(), teachers + 1, csv.out().lines().count());
        Run text = cli("log", "3");
        assertTrue(text.out(), text.out().contains("Øverland"));

        Run refused = cli("approve", "2");
        assertEquals(refused.toString(), 1, refused.code());
        assertEquals("rollbook: operation 2 is not held (it is completed)\n", refused.err());
        Run missing = cli("log", "99");
        assertEquals(missing.toString(), 1, missing.code());
        assertEquals("rollbook: no operation 99\n", missing.err());

        Run latest = cli("status");
        assertTrue(latest.out(), latest.out().contains("  latest run  operation 3, incremental sync, completed "));
    }

    @Test
    public void aBadTokenOrNoServerIsExitCode4WithOneLine() throws Exception {
        server.awaitConnector();
        Path token = home.resolve("data/security/cli.token");
        assertTrue("the server wrote " + token, Files.isRegularFile(token));
        assertEquals("by default the token of the server's directory is sent", 0, cli("operations").code());

        Path wrong = Files.writeString(tmp.newFile().toPath(), "not-the-token\n");
        for (Run bad : List.of(cli("operations", "--token-file", wrong.toString()), cli(Map.of("ROLLBOOK_TOKEN", "nope"), "status"))) {
            assertEquals(bad.toString(), 4, bad.code());
            assertTrue(bad.err(), bad.err().startsWith("rollbook: the token was refused: "));
            assertEquals(bad.toString(), 1, bad.err().lines().count());
            assertEquals("nothing half-printed", "", bad.out());
        }
        Run envToken = cli(Map.of("ROLLBOOK_TOKEN", server.token()), "operations", "--json");
        assertEquals(envToken.toString(), 0, envToken.code());

        Run noToken = cli("operations", "--token-file", home.resolve("nowhere").toString());
        assertEquals(noToken.toString(), 4, noToken.code());
        Path aside = Files.move(token, token.resolveSibling("cli.token.aside"));
        Run anonymous = cli("operations");
        Files.move(aside, token);
        assertEquals(anonymous.toString(), 4, anonymous.code());
        assertTrue(anonymous.err(), anonymous.err().startsWith("rollbook: the server wants a token and there is none ("));

        int port = server.port;
        server.close();
        server = null;
        Run down = cli("status", "--url", "http://127.0.0.1:" + port);
        assertEquals(down.toString(), 4, down.code());
        assertEquals("rollbook: cannot reach the server at http://127.0.0.1:" + port + "; is it running? (./run/rollbook)\n",
                down.err());
    }
}
