package org.rollbook.cli;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The {@code rollbook} command line for admins' scripts: status, sync and preview runs (optionally waiting
 * for the outcome), the list of runs, a run's log, and approve/reject/cancel/undo — each one call or a few
 * to the JSON API. Exit codes: see {@link Failure} and {@code rollbook help}.
 */
public final class Rollbook {

    static final String HELP = """
            Usage: rollbook <command> [options]

              status                        the server's health, its connector and check, the latest run
              sync [--full|--incremental]   start a sync (full unless --incremental)
                   [--types student,teacher,staff,district_admin] [--wait]
              preview [same options]        the same, writing nothing: what a sync would do
              operations [--limit N] [--offset N]
                                            the latest runs, newest first (20 unless --limit)
              log <id> [--format text|csv] [--situation S] [--outcome O] [--type T] [--site CODE]
                                            a run's log to stdout (situation: linked, unlinked, unmatched,
                                            disputed, skipped, absent; outcome: created, updated,
                                            unchanged, none, failed; type: student, teacher, staff,
                                            district_admin)
              approve <id> [--wait]         apply a run held for approval
              reject <id>                   drop a held run; nothing is written
              cancel <id>                   cancel a queued or running run (a running one stops after its batch)
              undo <id> [--wait]            revert the last applied run
              help                          this text; `rollbook` alone or `rollbook start` starts the server

            Options:
              --wait              wait until the run ends; progress on stderr, the outcome on stdout
              --json              print the server's JSON answer as is (status, sync, preview, operations,
                                  approve, reject, cancel, undo); with --wait, the finished run
              --url URL           the server (default: http://127.0.0.1:<port of run/etc/org.apache.felix.http.cfg>)
              --token-file FILE   the API token (default: ROLLBOOK_TOKEN if set, else run/data/security/cli.token)

            Exit codes:
              0  done; with --wait: the run completed (status: the server is healthy and its connector check passes)
              1  the server refused the request or answered with an error (its message is printed);
                 with --wait: the run failed, was cancelled or interrupted; status: a problem is shown
              2  the command line is wrong
              3  with --wait: the run is held for approval (rollbook approve <id> or rollbook reject <id>)
              4  the server cannot be reached, or it refused the token

            Environment: ROLLBOOK_TOKEN (the API token, instead of the token file).
            """;

    private final Map<String, String> env;
    private final Path home;
    private final boolean terminal;
    private final ZoneId zone;
    private final PrintStream out;
    private final PrintStream err;
    private final Duration poll;
    private final Duration every;

    /**
     * @param home     the server's working directory (run/): its etc/ gives the port, its data/ the token
     * @param terminal whether stderr is a terminal (progress rewrites one line) or not (periodic lines)
     * @param poll     how often --wait asks for the run's state
     * @param every    how often --wait prints an unchanged state when not on a terminal
     */
    Rollbook(Map<String, String> env, Path home, boolean terminal, ZoneId zone, PrintStream out, PrintStream err, Duration poll,
            Duration every) {
        this.env = env;
        this.home = home;
        this.terminal = terminal;
        this.zone = zone;
        this.out = out;
        this.err = err;
        this.poll = poll;
        this.every = every;
    }

    public static void main(String[] args) {
        String tty = System.getProperty("rollbook.terminal");
        boolean terminal = tty == null ? System.console() != null : Boolean.parseBoolean(tty);
        Rollbook cli = new Rollbook(System.getenv(), home(), terminal, ZoneId.systemDefault(), System.out, System.err,
                Duration.ofMillis(terminal ? 500 : 1000), Duration.ofSeconds(10));
        int code = cli.run(args);
        System.out.flush();
        System.exit(code);
    }

    /** The server's directory: -Drollbook.home (set by run/rollbook), else here, else ./run when here is the checkout. */
    static Path home() {
        String h = System.getProperty("rollbook.home");
        if (h != null && !h.isBlank()) {
            return Path.of(h);
        }
        Path here = Path.of("").toAbsolutePath();
        if (!Files.isDirectory(here.resolve("etc")) && Files.isDirectory(here.resolve("run/etc"))) {
            return here.resolve("run");
        }
        return here;
    }

    /** Runs one command; returns its exit code. Errors are one line on stderr. */
    int run(String... args) {
        try {
            CommandLine line = CommandLine.parse(args);
            if (line.command().equals("help")) {
                out.print(HELP);
                out.flush();
                return Failure.OK;
            }
            Server server = Server.locate(line, env, home);
            int code = switch (line.command()) {
                case "status" -> status(server, line);
                case "sync", "preview" -> sync(server, line);
                case "operations" -> operations(server, line);
                case "log" -> log(server, line);
                default -> act(server, line);
            };
            out.flush();
            return code;
        } catch (Failure f) {
            out.flush();
            err.println("rollbook: " + f.getMessage());
            err.flush();
            return f.exitCode;
        }
    }

    // ------------------------------------------------------------------ status

    private int status(Server server, CommandLine line) throws Failure {
        Server.Answer health = server.get("/api/health");
        if (health.status() != 503) {
            server.ok(health);
        }
        Server.Answer connector = server.get("/api/connector");
        if (connector.status() != 503) {
            server.ok(connector);
        }
        Server.Answer latest = server.ok(server.get("/api/operations?limit=1"));
        if (line.flag("json")) {
            out.println("{\"health\":" + health.text().strip() + ",\"connector\":" + connector.text().strip() + ",\"operations\":"
                    + latest.text().strip() + "}");
            return health.status() == 200 && connector.status() == 200 && Json.bool(connector.json(), "ok") ? Failure.OK
                    : Failure.REFUSED;
        }
        Map<String, Object> h = health.json();
        boolean healthy = health.status() == 200;
        List<List<String>> rows = new ArrayList<>();
        out.println("Rollbook " + Json.str(h, "version") + " at " + server.base + ": " + (healthy ? "ok" : Json.str(h, "status")));
        for (Object p : Json.list(h, "problems")) {
            rows.add(List.of("  problem", String.valueOf(p)));
        }
        Map<String, Object> store = Json.obj(h, "store");
        if (Json.bool(store, "open")) {
            rows.add(List.of("  store", String.format(Locale.ROOT, "%s, %d patrons, %d sites (%s)", Json.str(store, "kind"),
                    Json.num(store, "patrons", 0), Json.num(store, "sites", 0), Json.str(store, "location"))));
        } else {
            rows.add(List.of("  store", "not open: " + Json.str(store, "detail")));
        }
        Map<String, Object> c = connector.json();
        boolean connected = connector.status() == 200 && Json.bool(c, "ok");
        if (connector.status() == 200) {
            rows.add(List.of("  connector", Json.str(c, "provider") + " " + Json.str(c, "account") + ": check "
                    + (Json.bool(c, "ok") ? "ok" : "FAILED") + (Json.str(c, "message") == null ? "" : ", " + Json.str(c, "message"))));
        } else {
            rows.add(List.of("  connector", "none: " + Json.str(c, "error")));
        }
        List<Object> ops = Json.list(latest.json(), "items");
        if (ops.isEmpty()) {
            rows.add(List.of("  latest run", "none yet"));
        } else {
            @SuppressWarnings("unchecked")
            Map<String, Object> op = (Map<String, Object>) ops.get(0);
            String when = Json.str(op, "finished") != null ? Json.str(op, "finished")
                    : Json.str(op, "started") != null ? Json.str(op, "started") : Json.str(op, "created");
            String took = Views.took(op, Instant.now());
            rows.add(List.of("  latest run", "operation " + Json.str(op, "id") + ", " + Views.kind(op) + ", " + Views.progress(op)
                    + " " + Views.time(when, zone) + (took == null ? "" : " (" + took + ")") + counts(op, ": ")));
            if (Views.message(op) != null) {
                rows.add(List.of("", Views.message(op)));
            }
        }
        out.print(Views.table(rows));
        return healthy && connected ? Failure.OK : Failure.REFUSED;
    }

    // ------------------------------------------------------------------ sync, preview

    private int sync(Server server, CommandLine line) throws Failure {
        StringJoiner body = new StringJoiner(",", "{", "}");
        body.add("\"kind\":" + Json.quote(line.flag("incremental") ? "incremental" : "full"));
        body.add("\"preview\":" + line.command().equals("preview"));
        String types = line.option("types");
        if (types != null) {
            StringJoiner list = new StringJoiner(",", "[", "]");
            for (String t : types.split(",")) {
                if (!t.isBlank()) {
                    list.add(Json.quote(t.strip()));
                }
            }
            body.add("\"types\":" + list);
        }
        Server.Answer queued = server.ok(server.post("/api/operations", body.toString()));
        Map<String, Object> op = queued.json();
        if (line.flag("wait")) {
            return await(server, queued, line.flag("json"));
        }
        if (line.flag("json")) {
            out.println(queued.text().strip());
        } else {
            out.println("operation " + Json.str(op, "id") + " " + Json.str(op, "status") + ": " + Views.kind(op));
        }
        return Failure.OK;
    }

    /** Follows a run until it leaves queued/running; prints the outcome; its exit code. */
    private int await(Server server, Server.Answer first, boolean json) throws Failure {
        Server.Answer answer = first;
        Map<String, Object> op = answer.json();
        String id = Json.str(op, "id");
        Progress progress = new Progress(err, terminal, every);
        try {
            while (active(op)) {
                progress.update(op);
                try {
                    Thread.sleep(poll.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw Failure.refused("interrupted while waiting for operation " + id);
                }
                answer = server.ok(server.get("/api/operations/" + id));
                op = answer.json();
            }
        } finally {
            progress.end();
        }
        String status = String.valueOf(op.get("status"));
        if (json) {
            out.println(answer.text().strip());
        } else {
            String took = Views.took(op, Instant.now());
            out.println("operation " + id + " " + status + ": " + Views.kind(op) + counts(op, ", ")
                    + (took == null ? "" : " (" + took + ")"));
            if (Views.message(op) != null) {
                out.println("  " + Views.message(op));
            }
            if (status.equals("held")) {
                out.println("  approve it: rollbook approve " + id + "   or reject it: rollbook reject " + id);
            }
        }
        return switch (status) {
            case "completed" -> Failure.OK;
            case "held" -> Failure.HELD;
            default -> Failure.REFUSED;
        };
    }

    private static boolean active(Map<String, Object> op) {
        String s = Json.str(op, "status");
        return "queued".equals(s) || "running".equals(s);
    }

    /** The counts after {@code separator}; nothing while the run has none yet. */
    private static String counts(Map<String, Object> op, String separator) {
        return active(op) ? "" : separator + Views.counts(Json.list(op, "counts"));
    }

    // ------------------------------------------------------------------ operations, log

    private int operations(Server server, CommandLine line) throws Failure {
        int limit = line.number("limit", 20);
        int offset = line.number("offset", 0);
        Server.Answer answer = server.ok(server.get("/api/operations?offset=" + offset + "&limit=" + limit));
        if (line.flag("json")) {
            out.println(answer.text().strip());
            return Failure.OK;
        }
        List<Object> items = Json.list(answer.json(), "items");
        if (items.isEmpty()) {
            out.println(offset == 0 ? "no operations yet" : "no operations past " + offset);
            return Failure.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ID", "KIND", "PREVIEW", "STATUS", "STARTED", "COUNTS"));
        for (Object o : items) {
            @SuppressWarnings("unchecked")
            Map<String, Object> op = (Map<String, Object>) o;
            String kind = Json.str(op, "kind");
            if ("undo".equals(kind) && Json.num(op, "undoOf", 0) > 0) {
                kind = "undo of " + Json.num(op, "undoOf", 0);
            }
            rows.add(List.of(Json.str(op, "id"), kind, Json.bool(op, "preview") ? "yes" : "no", Json.str(op, "status"),
                    Views.time(Json.str(op, "started"), zone), active(op) ? "-" : Views.counts(Json.list(op, "counts"))));
        }
        out.print(Views.table(rows));
        return Failure.OK;
    }

    private int log(Server server, CommandLine line) throws Failure {
        long id = line.id();
        String format = line.option("format") == null ? "text" : line.option("format").strip().toLowerCase(Locale.ROOT);
        String file = switch (format) {
            case "text", "txt" -> "log.txt";
            case "csv" -> "log.csv";
            default -> throw Failure.usage("--format is text or csv, not '" + line.option("format") + "'");
        };
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        for (String f : List.of("situation", "outcome", "type", "site")) {
            if (line.option(f) != null) {
                query.add(f + "=" + URLEncoder.encode(line.option(f).strip(), StandardCharsets.UTF_8));
            }
        }
        out.flush();
        server.download("/api/operations/" + id + "/" + file + query, out);
        return Failure.OK;
    }

    // ------------------------------------------------------------------ approve, reject, cancel, undo

    private int act(Server server, CommandLine line) throws Failure {
        long id = line.id();
        String action = line.command();
        Server.Answer answer = server.ok(server.post("/api/operations/" + id + "/" + action, null));
        if (line.flag("wait")) {
            return await(server, answer, line.flag("json"));
        }
        if (line.flag("json")) {
            out.println(answer.text().strip());
            return Failure.OK;
        }
        Map<String, Object> op = answer.json();
        String status = Json.str(op, "status");
        out.println(switch (action) {
            case "approve" -> "operation " + id + " approved: " + status + " to be applied";
            case "reject" -> "operation " + id + " rejected (" + status + "); nothing was written";
            case "cancel" -> "running".equals(status) ? "operation " + id + " is being cancelled; it stops after its current batch"
                    : "operation " + id + " " + status;
            default -> "operation " + Json.str(op, "id") + " " + status + ": " + Views.kind(op);
        });
        return Failure.OK;
    }
}
