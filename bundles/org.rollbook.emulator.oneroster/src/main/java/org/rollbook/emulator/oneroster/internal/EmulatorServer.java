package org.rollbook.emulator.oneroster.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.rollbook.emulator.oneroster.Fault;
import org.rollbook.emulator.oneroster.Quirk;
import org.rollbook.emulator.oneroster.RosterUser;
import org.rollbook.emulator.oneroster.Version;
import org.rollbook.emulator.oneroster.internal.Tables.Render;
import org.rollbook.emulator.oneroster.internal.Tables.Row;
import org.rollbook.emulator.oneroster.internal.Tables.Table;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** The HTTP side: routing, auth, paging, filtering, faults. */
public final class EmulatorServer {

    static final String V11 = "/ims/oneroster/v1p1", V12 = "/ims/oneroster/rostering/v1p2";

    private final Config config;
    private final DistrictImpl district;
    private final FaultsImpl faults;
    private final OAuth1 oauth1;
    private final Map<String, Long> tokens = new ConcurrentHashMap<>();
    private final Set<Quirk> quirks = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong requests = new AtomicLong();
    private final Table users, orgs, classes, enrollments, demographics;
    private volatile Table sessions11, sessions12, courses11, courses12;
    private final Map<String, int[]> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, int[]> e) { return size() > 12; }
    };
    private HttpServer server;
    private ExecutorService pool;
    private volatile ClassLinkSsoImpl sso;

    public EmulatorServer(Config config) {
        this.config = config;
        this.district = new DistrictImpl(config.seed(), config.district(), config.clock());
        this.faults = new FaultsImpl(config.seed());
        this.oauth1 = new OAuth1(config.consumerKey(), config.consumerSecret(), config.timestampPast().toSeconds(),
                config.timestampFuture().toSeconds());
        this.users = new Tables.Users(district);
        this.orgs = new Tables.Orgs(district);
        this.classes = new Tables.Classes(district);
        this.enrollments = new Tables.Enrollments(district);
        this.demographics = new Tables.Demographics(district);
    }

    public Config config() { return config; }

    public DistrictImpl district() { return district; }

    public FaultsImpl faults() { return faults; }

    public long requestCount() { return requests.get(); }

    public Set<Quirk> quirks() { return quirks; }

    /** Serves ClassLink SSO (launchpad/nodeapi paths at the root) from now on. */
    public void attachSso(ClassLinkSsoImpl sso) { this.sso = sso; }

    static final Set<String> BOOLEAN_FIELDS = Set.of("enabledUser", "primary", "americanIndianOrAlaskaNative", "asian",
            "blackOrAfricanAmerican", "nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces",
            "hispanicOrLatinoEthnicity");

    /** Applies the value quirks to one rendered object. */
    private ObjectNode quirk(ObjectNode n) {
        if (quirks.isEmpty()) return n;
        if (quirks.contains(Quirk.JSON_BOOLEANS))
            for (String f : BOOLEAN_FIELDS) if (n.has(f) && n.get(f).isTextual() && !n.get(f).asText().isEmpty()) n.put(f, Boolean.parseBoolean(n.get(f).asText()));
        if (quirks.contains(Quirk.GRADES_AS_STRING) && n.has("grades") && n.get("grades").isArray()) {
            List<String> g = new ArrayList<>();
            n.get("grades").forEach(x -> g.add(x.asText()));
            n.put("grades", String.join(",", g));
        }
        if (quirks.contains(Quirk.DATES_WITHOUT_MILLIS) && n.has("dateLastModified"))
            n.put("dateLastModified", n.get("dateLastModified").asText().replaceFirst("\\.\\d{3}Z$", "Z"));
        if (quirks.contains(Quirk.NULL_FOR_EMPTY)) {
            List<String> empty = new ArrayList<>();
            n.fields().forEachRemaining(en -> { if (en.getValue().isTextual() && en.getValue().asText().isEmpty()) empty.add(en.getKey()); });
            for (String f : empty) n.putNull(f);
        }
        return n;
    }

    public synchronized void start() throws IOException {
        if (server != null) throw new IllegalStateException("already started");
        HttpServer s = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 128);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "oneroster-emulator-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        pool = Executors.newFixedThreadPool(Math.max(1, config.threads()), tf);
        s.setExecutor(pool);
        s.createContext("/", this::handle);
        s.start();
        server = s;
        Render r11 = new Render(false, baseUrl(Version.V1P1).toString()), r12 = new Render(true, baseUrl(Version.V1P2).toString());
        sessions11 = Tables.sessions(r11);
        sessions12 = Tables.sessions(r12);
        courses11 = Tables.courses(r11, district.districtOrgId());
        courses12 = Tables.courses(r12, district.districtOrgId());
    }

    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            pool.shutdownNow();
            server = null;
        }
    }

    public int port() {
        if (server == null) throw new IllegalStateException("not started");
        return server.getAddress().getPort();
    }

    String root() {
        String h = config.host();
        if (h.contains(":")) h = "[" + h + "]";
        return "http://" + h + ":" + port() + "/" + config.tenantId();
    }

    public URI baseUrl() { return baseUrl(config.version()); }

    public URI baseUrl(Version v) { return URI.create(root() + (v == Version.V1P1 ? V11 : V12)); }

    public URI tokenUrl() { return URI.create(root() + "/oauth/token"); }

    // ------------------------------------------------------------------ responses

    record Resp(int status, String contentType, byte[] body, Map<String, String> headers) {}

    static Resp json(int status, ObjectNode n, Map<String, String> headers) {
        try {
            return new Resp(status, "application/json; charset=utf-8", Tables.M.writeValueAsBytes(n), headers);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String minor(String code, boolean v12) {
        if (v12) return code;
        return switch (code) {
            case "unknownobject" -> "unknown object";
            case "invaliddata" -> "invalid data";
            case "unauthorisedrequest" -> "unauthorized";
            default -> code;
        };
    }

    static ObjectNode statusInfo(String major, String severity, String minor, String description) {
        ObjectNode n = Tables.F.objectNode();
        n.put("imsx_codeMajor", major);
        n.put("imsx_severity", severity);
        n.put("imsx_description", description);
        n.putObject("imsx_CodeMinor").putArray("imsx_codeMinorField").addObject()
                .put("imsx_codeMinorFieldName", "TargetEndSystem").put("imsx_codeMinorFieldValue", minor);
        return n;
    }

    static Resp error(int status, String code, String description, boolean v12) {
        return json(status, statusInfo("failure", "error", minor(code, v12), description), new LinkedHashMap<>());
    }

    static final class HttpError extends Exception {
        final Resp resp;
        HttpError(Resp r) { super(null, null, false, false); resp = r; }
    }

    static HttpError fail(int status, String code, String description, boolean v12) {
        return new HttpError(error(status, code, description, v12));
    }

    private void send(HttpExchange ex, Resp r, Fault fault) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", r.contentType());
        r.headers().forEach(h::set);
        byte[] b = r.body();
        if (fault == Fault.TRUNCATED_JSON && r.status() == 200) b = Arrays.copyOf(b, b.length / 2);
        if (fault == Fault.CONNECTION_RESET && r.status() == 200) {
            ex.sendResponseHeaders(200, b.length);
            OutputStream os = ex.getResponseBody();
            os.write(b, 0, b.length / 2);
            os.flush();
            // Leaving the handler with an exception makes the JDK server drop the connection mid-body.
            throw new IOException("injected connection reset");
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(r.status(), head || b.length == 0 ? -1 : b.length);
        if (!head && b.length > 0) try (OutputStream os = ex.getResponseBody()) { os.write(b); }
        ex.close();
    }

    // ------------------------------------------------------------------ handling

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try {
            district.maintain();
            String path = ex.getRequestURI().getRawPath();
            ClassLinkSsoImpl s = sso;
            if (s != null && ClassLinkSsoImpl.handles(path)) { s.handle(ex); return; }
            String tp = "/" + config.tenantId();
            String p = path.startsWith(tp + "/") ? path.substring(tp.length()) : path;
            while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
            if (p.equals("/oauth/token")) { send(ex, token(ex), null); return; }
            boolean v12;
            String rest;
            if (p.equals(V11) || p.startsWith(V11 + "/")) { v12 = false; rest = p.substring(V11.length()); }
            else if (config.version() == Version.V1P2 && (p.equals(V12) || p.startsWith(V12 + "/"))) { v12 = true; rest = p.substring(V12.length()); }
            else { send(ex, error(404, "unknownobject", "no such endpoint: " + path, false), null); return; }
            String m = ex.getRequestMethod();
            if (!m.equals("GET") && !m.equals("HEAD")) {
                Resp r = error(405, "invaliddata", "method not allowed: " + m, v12);
                r.headers().put("Allow", "GET");
                send(ex, r, null);
                return;
            }
            String authError = authenticate(ex, path, v12);
            if (authError != null) {
                Resp r = error(401, "unauthorisedrequest", authError, v12);
                r.headers().put("WWW-Authenticate", v12 ? "Bearer" : "OAuth realm=\"oneroster\"");
                send(ex, r, null);
                return;
            }
            List<String[]> query = OAuth1.parseQuery(ex.getRequestURI().getRawQuery());
            Fault fault = faults.poll();
            int heavy = faults.heavyLimit();
            if (fault == null && heavy > 0) {
                String l = param(query, "limit");
                try {
                    if (l != null && Integer.parseInt(l.trim()) > heavy) { faults.count(); fault = Fault.HTTP_502_HTML; }
                } catch (NumberFormatException ignored) { /* reported by the route */ }
            }
            if (fault != null) {
                Resp fr = faultResponse(fault, v12);
                if (fr != null) { send(ex, fr, null); return; }
                if (fault == Fault.SLOW) sleep(faults.slowDelay().toMillis());
                if (fault == Fault.PERM_REV_CHANGE) district.bumpPermRev();
            }
            Resp r;
            try {
                r = route(ex, rest, query, v12);
            } catch (HttpError e) {
                r = e.resp;
            }
            if (quirks.contains(Quirk.OMIT_PERM_REV)) r.headers().remove("x-perm-rev");
            else r.headers().putIfAbsent("x-perm-rev", district.permRev());
            send(ex, r, fault);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            send(ex, error(500, "internal_server_error", "emulator error: " + e, false), null);
        }
    }

    private static void sleep(long ms) {
        try { Thread.sleep(ms); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    }

    private Resp faultResponse(Fault f, boolean v12) {
        Map<String, String> h = new LinkedHashMap<>();
        switch (f) {
            case HTTP_500: return error(500, "internal_server_error", "Internal Server Error", v12);
            case HTTP_502: return error(502, "internal_server_error", "Bad Gateway", v12);
            case HTTP_503: return error(503, "internal_server_error", "Service Unavailable", v12);
            case HTTP_504: return error(504, "internal_server_error", "Gateway Timeout", v12);
            case HTTP_500_HTML: return html(500, "Internal Server Error");
            case HTTP_502_HTML: return html(502, "Bad Gateway");
            case HTTP_503_HTML: return html(503, "Service Temporarily Unavailable");
            case HTTP_504_HTML: return html(504, "Gateway Time-out");
            case HTTP_401: {
                Resp r = error(401, "unauthorisedrequest", "Unauthorized", v12);
                r.headers().put("WWW-Authenticate", v12 ? "Bearer" : "OAuth realm=\"oneroster\"");
                return r;
            }
            case HTTP_429: {
                Resp r = json(429, statusInfo("failure", "error", "server_busy", "Too Many Requests: cool-down period required"), h);
                var ra = faults.retryAfterValue();
                if (ra != null) r.headers().put("Retry-After", Long.toString(Math.max(0, ra.toSeconds())));
                return r;
            }
            default: return null;
        }
    }

    static Resp html(int status, String title) {
        String s = "<html>\r\n<head><title>" + status + " " + title + "</title></head>\r\n<body>\r\n<center><h1>" + status
                + " " + title + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        return new Resp(status, "text/html", s.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
    }

    private String authenticate(HttpExchange ex, String rawPath, boolean v12) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || auth.isBlank()) return "missing Authorization header";
        if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Long exp = tokens.get(auth.substring(7).trim());
            if (exp == null) return "unknown bearer token";
            if (exp <= config.clock().millis()) return "bearer token expired";
            return null;
        }
        if (v12) return "OneRoster 1.2 requires an OAuth 2 bearer token";
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null) host = ex.getLocalAddress().getHostString() + ":" + ex.getLocalAddress().getPort();
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(":80")) host = host.substring(0, host.length() - 3);
        String base = "http://" + host + rawPath;
        return oauth1.verify(ex.getRequestMethod(), base, ex.getRequestURI().getRawQuery(), auth,
                config.clock().millis() / 1000);
    }

    private Resp token(HttpExchange ex) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Cache-Control", "no-store");
        if (!ex.getRequestMethod().equals("POST")) {
            ObjectNode n = Tables.F.objectNode().put("error", "invalid_request").put("error_description", "POST required");
            return json(405, n, h);
        }
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        List<String[]> form = OAuth1.parseQuery(body);
        String id = param(form, "client_id"), secret = param(form, "client_secret");
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String dec = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
                int c = dec.indexOf(':');
                if (c >= 0) { id = OAuth1.decode(dec.substring(0, c)); secret = OAuth1.decode(dec.substring(c + 1)); }
            } catch (IllegalArgumentException e) {
                id = null;
            }
        }
        if (!"client_credentials".equals(param(form, "grant_type"))) {
            return json(400, Tables.F.objectNode().put("error", "unsupported_grant_type"), h);
        }
        if (!config.clientId().equals(id) || !config.clientSecret().equals(secret)) {
            h.put("WWW-Authenticate", "Basic realm=\"oneroster\"");
            return json(401, Tables.F.objectNode().put("error", "invalid_client"), h);
        }
        byte[] t = new byte[24];
        random.nextBytes(t);
        String token = HexFormat.of().formatHex(t);
        long life = config.tokenLifetime().toSeconds();
        tokens.put(token, config.clock().millis() + life * 1000);
        String scope = param(form, "scope");
        if (scope == null) scope = "https://purl.imsglobal.org/spec/or/v1p1/scope/roster.readonly";
        ObjectNode n = Tables.F.objectNode();
        n.put("access_token", token).put("token_type", "bearer").put("expires_in", life).put("scope", scope);
        return json(200, n, h);
    }

    static String param(List<String[]> q, String name) {
        for (String[] p : q) if (p[0].equals(name)) return p[1];
        return null;
    }

    // ------------------------------------------------------------------ routing

    /** A subset of a table: a position range with an optional predicate, or an explicit position list. */
    record View(Table table, int from, int to, Predicate<Row> pred, int[] positions, String key, String envelope) {
        static View all(Table t) { return new View(t, 0, t.size(), null, null, "", t.plural); }
        static View all(Table t, String envelope) { return new View(t, 0, t.size(), null, null, "", envelope); }
    }

    private View usersOfKind(int kind, Predicate<Row> pred, String key) {
        Tables.Users u = (Tables.Users) users;
        if (district.extras.isEmpty()) return new View(users, u.start(kind), u.start(kind + 1), pred, null, key, "users");
        String role = kind == Gen.STUDENT ? "student" : "teacher";
        Predicate<Row> p = r -> role.equals(r.scalar("role")) && (pred == null || pred.test(r));
        return new View(users, 0, users.size(), p, null, key + "+x", "users");
    }

    private Table sessions(boolean v12) { return v12 ? sessions12 : sessions11; }

    private Table courses(boolean v12) { return v12 ? courses12 : courses11; }

    private static boolean isRole(Row r, String role) { return role.equals(r.scalar("role")); }

    private Resp route(HttpExchange ex, String rest, List<String[]> q, boolean v12) throws HttpError {
        String[] seg = rest.isEmpty() ? new String[0] : rest.substring(1).split("/");
        for (int i = 0; i < seg.length; i++) seg[i] = OAuth1.decode(seg[i].replace("+", "%2B"));
        if (seg.length == 0) throw fail(404, "unknownobject", "no collection given", v12);
        String c = seg[0];
        if ((c.equals("demographics")) && !config.demographics()) {
            if (config.demographicsOffStatus() == 403)
                throw fail(403, "forbidden", "demographics are not shared with this application", v12);
            if (seg.length == 1) return list(ex, new View(demographics, 0, 0, null, null, "off", "demographics"), q, v12);
            throw fail(404, "unknownobject", "no demographics with sourcedId '" + seg[1] + "'", v12);
        }
        if (seg.length == 1) return list(ex, collection(c, v12), q, v12);
        String id = seg[1];
        if (seg.length == 2) return single(c, id, q, v12);
        if (seg.length == 3) return list(ex, nested(c, id, seg[2], v12), q, v12);
        if (seg.length == 5 && c.equals("schools") && seg[2].equals("classes")) {
            Row school = schoolRow(id, v12);
            Row cls = classes.get(seg[3]);
            if (cls == null || !school.id().equals(((Tables.ClassRow) cls).schoolId()))
                throw fail(404, "unknownobject", "no class '" + seg[3] + "' in school '" + id + "'", v12);
            View v = nested("classes", seg[3], seg[4].equals("enrollments") ? "enrollments" : seg[4], v12);
            return list(ex, v, q, v12);
        }
        throw fail(404, "unknownobject", "no such endpoint", v12);
    }

    private View collection(String c, boolean v12) throws HttpError {
        return switch (c) {
            case "users" -> View.all(users);
            case "students" -> usersOfKind(Gen.STUDENT, null, "students");
            case "teachers" -> usersOfKind(Gen.TEACHER, null, "teachers");
            case "orgs" -> View.all(orgs);
            case "schools" -> new View(orgs, 0, orgs.size(), r -> "school".equals(r.scalar("type")), null, "schools", "orgs");
            case "classes" -> View.all(classes);
            case "enrollments" -> View.all(enrollments);
            case "demographics" -> View.all(demographics);
            case "academicSessions" -> View.all(sessions(v12));
            case "terms" -> new View(sessions(v12), 0, 2, r -> "term".equals(r.scalar("type")), null, "terms", "academicSessions");
            case "gradingPeriods" -> new View(sessions(v12), 0, 2, r -> "gradingPeriod".equals(r.scalar("type")), null, "gp", "academicSessions");
            case "courses" -> View.all(courses(v12));
            default -> throw fail(404, "unknownobject", "unknown collection '" + c + "'", v12);
        };
    }

    private Resp single(String c, String id, List<String[]> q, boolean v12) throws HttpError {
        Row row;
        String env;
        switch (c) {
            case "users" -> { row = users.get(id); env = "user"; }
            case "students" -> { row = users.get(id); env = "user"; if (row != null && !isRole(row, "student")) row = null; }
            case "teachers" -> { row = users.get(id); env = "user"; if (row != null && !isRole(row, "teacher")) row = null; }
            case "orgs" -> { row = orgs.get(id); env = "org"; }
            case "schools" -> { row = orgs.get(id); env = "org"; if (row != null && !"school".equals(row.scalar("type"))) row = null; }
            case "classes" -> { row = classes.get(id); env = "class"; }
            case "enrollments" -> { row = enrollments.get(id); env = "enrollment"; }
            case "demographics" -> { row = demographics.get(id); env = "demographics"; }
            case "academicSessions" -> { row = sessions(v12).get(id); env = "academicSession"; }
            case "terms" -> { row = sessions(v12).get(id); env = "academicSession"; if (row != null && !"term".equals(row.scalar("type"))) row = null; }
            case "gradingPeriods" -> { row = null; env = "academicSession"; }
            case "courses" -> { row = courses(v12).get(id); env = "course"; }
            default -> throw fail(404, "unknownobject", "unknown collection '" + c + "'", v12);
        }
        if (row == null) throw fail(404, "unknownobject", "No " + env + " with sourcedId '" + id + "'", v12);
        Render r = render(v12);
        ObjectNode n = quirk(row.json(r));
        List<String> warnings = new ArrayList<>();
        Set<String> fields = fields(param(q, "fields"), tableFor(c, v12).fields(v12), v12, warnings);
        if (fields != null) n.retain(fields);
        ObjectNode env2 = Tables.F.objectNode();
        env2.set(env, n);
        addWarnings(env2, warnings);
        return json(200, env2, new LinkedHashMap<>());
    }

    private Table tableFor(String c, boolean v12) {
        return switch (c) {
            case "orgs", "schools" -> orgs;
            case "classes" -> classes;
            case "enrollments" -> enrollments;
            case "demographics" -> demographics;
            case "academicSessions", "terms", "gradingPeriods" -> sessions(v12);
            case "courses" -> courses(v12);
            default -> users;
        };
    }

    private Row schoolRow(String id, boolean v12) throws HttpError {
        Row s = orgs.get(id);
        if (s == null || !"school".equals(s.scalar("type"))) throw fail(404, "unknownobject", "No org with sourcedId '" + id + "'", v12);
        return s;
    }

    private static boolean inOrg(Row r, String orgId) {
        if (r instanceof Tables.ExtraUserRow x) return x.u().orgIds().contains(orgId);
        Tables.UserRow u = (Tables.UserRow) r;
        if (u.kind == Gen.STUDENT && u.u == null && u.d.pristine(u.kind, u.index))
            return Gen.orgId(u.d.gen.studentSchool(u.index) + 1).equals(orgId);
        if (u.kind == Gen.TEACHER && u.u == null && u.d.pristine(u.kind, u.index))
            return Gen.orgId(u.d.gen.teacherSchool(u.index) + 1).equals(orgId);
        RosterUser x = u.user();
        return x != null && x.orgIds().contains(orgId);
    }

    private View nested(String c, String id, String sub, boolean v12) throws HttpError {
        Tables.Users ut = (Tables.Users) users;
        switch (c) {
            case "users", "students", "teachers" -> {
                Row u = users.get(id);
                if (u == null || (c.equals("students") && !isRole(u, "student")) || (c.equals("teachers") && !isRole(u, "teacher")))
                    throw fail(404, "unknownobject", "No user with sourcedId '" + id + "'", v12);
                if (!sub.equals("classes")) break;
                int t = district.homeroomClassId(id).map(district::classTeacher).orElse(-1);
                return new View(classes, 0, 0, null, t < 0 ? new int[0] : new int[] { t }, "u" + id, "classes");
            }
            case "schools" -> {
                Row s = schoolRow(id, v12);
                String sid = s.id();
                switch (sub) {
                    case "students": return usersOfKind(Gen.STUDENT, r -> inOrg(r, sid), "ss" + sid);
                    case "teachers": return usersOfKind(Gen.TEACHER, r -> inOrg(r, sid), "st" + sid);
                    case "classes": return new View(classes, 0, classes.size(), r -> sid.equals(((Tables.ClassRow) r).schoolId()), null, "sc" + sid, "classes");
                    case "enrollments": return new View(enrollments, 0, enrollments.size(),
                            r -> sid.equals(Gen.orgId(district.gen.teacherSchool(((Tables.EnrollmentRow) r).t()) + 1)), null, "se" + sid, "enrollments");
                    case "terms": return new View(sessions(v12), 0, 2, r -> "term".equals(r.scalar("type")), null, "terms", "academicSessions");
                    case "courses": return View.all(courses(v12));
                    default: break;
                }
            }
            case "classes" -> {
                int t = district.classTeacher(id);
                if (t < 0) throw fail(404, "unknownobject", "No class with sourcedId '" + id + "'", v12);
                switch (sub) {
                    case "students": {
                        int[] st = district.gen.homeroomStudents(t);
                        if (quirks.contains(Quirk.STUDENTS_LEAK_TEACHERS)) {
                            st = Arrays.copyOf(st, st.length + 1);
                            st[st.length - 1] = ut.start(Gen.TEACHER) + t;
                        }
                        return new View(users, 0, 0, null, st, "cs" + id + quirks.contains(Quirk.STUDENTS_LEAK_TEACHERS), "users");
                    }
                    case "teachers": return new View(users, 0, 0, null, new int[] { ut.start(Gen.TEACHER) + t }, "ct" + id, "users");
                    case "enrollments": {
                        int[] st = district.gen.homeroomStudents(t);
                        int[] pos = Arrays.copyOf(st, st.length + 1);
                        pos[st.length] = district.gen.spec.students() + t;
                        return new View(enrollments, 0, 0, null, pos, "ce" + id, "enrollments");
                    }
                    default: break;
                }
            }
            case "courses", "terms" -> {
                Row x = c.equals("courses") ? courses(v12).get(id) : sessions(v12).get(id);
                if (x == null) throw fail(404, "unknownobject", "No " + c + " with sourcedId '" + id + "'", v12);
                if (sub.equals("classes")) return View.all(classes);
                if (sub.equals("gradingPeriods") && c.equals("terms"))
                    return new View(sessions(v12), 0, 2, r -> "gradingPeriod".equals(r.scalar("type")), null, "gp", "academicSessions");
            }
            default -> { }
        }
        throw fail(404, "unknownobject", "no such endpoint: " + c + "/{id}/" + sub, v12);
    }

    private Render render(boolean v12) {
        String path = v12 ? V12 : V11;
        if (quirks.contains(Quirk.FOREIGN_HREF_HOST)) return new Render(v12, "https://" + config.tenantId() + ".rosterserver.com" + path);
        return new Render(v12, baseUrl(v12 ? Version.V1P2 : Version.V1P1).toString());
    }

    private static Set<String> fields(String param, Set<String> known, boolean v12, List<String> warnings) throws HttpError {
        if (param == null || param.isBlank()) return null;
        Set<String> out = new LinkedHashSet<>();
        for (String f : param.split(",")) {
            f = f.trim();
            if (f.isEmpty()) continue;
            if (!known.contains(f)) {
                if (v12) throw fail(400, "invalid_selection_field", "unknown field '" + f + "'", true);
                warnings.add("invalid_selection_field:" + f);
                continue;
            }
            out.add(f);
        }
        return out;
    }

    private static void addWarnings(ObjectNode env, List<String> warnings) {
        if (warnings.isEmpty()) return;
        ArrayNode set = env.putArray("statusInfoSet");
        for (String w : warnings) {
            int c = w.indexOf(':');
            set.add(statusInfo("success", "warning", w.substring(0, c), "ignored: " + w.substring(c + 1)));
        }
    }

    private int intParam(List<String[]> q, String name, int def, boolean v12) throws HttpError {
        String s = param(q, name);
        if (s == null || s.isBlank()) return def;
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw fail(400, "invaliddata", name + " must be an integer: '" + s + "'", v12);
        }
    }

    /** The matching positions of a view (cached per data version), or null when the view is a plain range. */
    private int[] select(View v, Filter f, String filterText, String sort, Render r) {
        if (sort == null && !v.table().ordered()) sort = "sourcedId";
        boolean plain = v.positions() == null && v.pred() == null && f == null && sort == null && !v.table().holes();
        if (plain) return null;
        String key = v.table().plural + "|" + v.key() + "|" + v.from() + "-" + v.to() + "|" + filterText + "|" + sort + "|"
                + r.v12() + "|" + district.version.get() + "|" + (v.positions() == null ? "" : v.positions().length);
        synchronized (cache) {
            int[] hit = cache.get(key);
            if (hit != null) return hit;
        }
        Table t = v.table();
        int[] src = v.positions();
        int n = src != null ? src.length : Math.max(0, Math.min(v.to(), t.size()) - v.from());
        int[] out = new int[n];
        int k = 0;
        for (int j = 0; j < n; j++) {
            int pos = src != null ? src[j] : v.from() + j;
            Row row = t.at(pos);
            if (row == null) continue;
            if (v.pred() != null && !v.pred().test(row)) continue;
            if (f != null && !f.test(row, r)) continue;
            out[k++] = pos;
        }
        out = Arrays.copyOf(out, k);
        if (sort != null) {
            String[] keys = new String[k];
            for (int j = 0; j < k; j++) {
                Row row = t.at(out[j]);
                String s = row.scalar(sort);
                if (s == null) {
                    var node = row.json(r).get(sort);
                    s = node == null ? "" : node.isValueNode() ? node.asText() : node.toString();
                }
                keys[j] = s;
            }
            Integer[] idx = new Integer[k];
            for (int j = 0; j < k; j++) idx[j] = j;
            final int[] unsorted = out;
            Arrays.sort(idx, (a, b) -> {
                int c = keys[a].compareTo(keys[b]);
                return c != 0 ? c : Integer.compare(unsorted[a], unsorted[b]);
            });
            int[] sorted = new int[k];
            for (int j = 0; j < k; j++) sorted[j] = unsorted[idx[j]];
            out = sorted;
        }
        synchronized (cache) { cache.put(key, out); }
        return out;
    }

    private Resp list(HttpExchange ex, View v, List<String[]> q, boolean v12) throws HttpError {
        Render r = render(v12);
        Table t = v.table();
        int limit = intParam(q, "limit", config.defaultLimit(), v12);
        int offset = intParam(q, "offset", 0, v12);
        if (limit < 1) throw fail(400, "invaliddata", "limit must be >= 1", v12);
        if (offset < 0) throw fail(400, "invaliddata", "offset must be >= 0", v12);
        limit = Math.min(limit, config.maxLimit());
        List<String> warnings = new ArrayList<>();
        String filterText = param(q, "filter");
        Filter f = null;
        if (filterText != null && !filterText.isBlank()) {
            try {
                f = Filter.parse(filterText);
            } catch (Filter.FilterException e) {
                throw fail(400, "invalid_filter_field", "invalid filter: " + e.getMessage(), v12);
            }
            if (config.maxFilterClauses() > 0 && f.clauses > config.maxFilterClauses())
                throw fail(400, "invalid_filter_field", "at most " + config.maxFilterClauses() + " filter clauses", v12);
            String unknown = f.unknownField(t.fields(v12));
            if (unknown != null) throw fail(400, "invalid_filter_field", "unknown filter field '" + unknown + "'", v12);
        }
        String sort = param(q, "sort");
        if (sort != null) {
            sort = sort.trim();
            if (sort.isEmpty() || sort.equals("sourcedId")) sort = null;
            else if (!t.fields(v12).contains(sort)) { warnings.add("invalid_sort_field:" + sort); sort = null; }
        }
        boolean desc = "desc".equalsIgnoreCase(param(q, "orderBy"));
        Set<String> fields = fields(param(q, "fields"), t.fields(v12), v12, warnings);

        int[] sel = select(v, f, filterText, sort, r);
        int total = sel != null ? sel.length : Math.max(0, Math.min(v.to(), t.size()) - v.from());
        ObjectNode env = Tables.F.objectNode();
        ArrayNode arr = env.putArray(v.envelope());
        int end = (int) Math.min((long) offset + limit, total);
        for (int k = offset; k < end; k++) {
            int idx = desc ? total - 1 - k : k;
            int pos = sel != null ? sel[idx] : v.from() + idx;
            Row row = t.at(pos);
            if (row == null) continue;
            ObjectNode n = quirk(row.json(r));
            if (fields != null) n.retain(fields);
            arr.add(n);
        }
        addWarnings(env, warnings);
        Map<String, String> h = new LinkedHashMap<>();
        if (!quirks.contains(Quirk.OMIT_TOTAL_COUNT))
            h.put("X-Total-Count", Integer.toString(total + (quirks.contains(Quirk.WRONG_TOTAL_COUNT) ? 1 : 0)));
        if (!quirks.contains(Quirk.OMIT_X_COUNT)) h.put("x-count", Integer.toString(arr.size()));
        h.put("x-perm-rev", district.permRev());
        if (!quirks.contains(Quirk.OMIT_LINK)) h.put("Link", links(ex, limit, offset, total));
        if (quirks.contains(Quirk.BARE_ARRAYS)) {
            try {
                return new Resp(200, "application/json; charset=utf-8", Tables.M.writeValueAsBytes(arr), h);
            } catch (IOException ioe) {
                throw new IllegalStateException(ioe);
            }
        }
        return json(200, env, h);
    }

    private String links(HttpExchange ex, int limit, int offset, int total) {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null) host = config.host() + ":" + port();
        String base = "http://" + host + ex.getRequestURI().getRawPath();
        StringBuilder keep = new StringBuilder();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null) for (String part : raw.split("&")) {
            if (part.isEmpty() || part.startsWith("limit=") || part.startsWith("offset=") || part.equals("limit") || part.equals("offset")) continue;
            keep.append(part).append('&');
        }
        String prefix = base + "?" + keep;
        List<String> links = new ArrayList<>();
        if ((long) offset + limit < total) links.add(link(prefix, limit, offset + limit, "next"));
        if (offset > 0) links.add(link(prefix, limit, Math.max(0, Math.min(offset - limit, lastOffset(limit, total))), "prev"));
        links.add(link(prefix, limit, 0, "first"));
        links.add(link(prefix, limit, lastOffset(limit, total), "last"));
        return String.join(", ", links);
    }

    static int lastOffset(int limit, int total) { return total == 0 ? 0 : ((total - 1) / limit) * limit; }

    private static String link(String prefix, int limit, int offset, String rel) {
        return "<" + prefix + "limit=" + limit + "&offset=" + offset + ">; rel=\"" + rel + "\"";
    }
}
