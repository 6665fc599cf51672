package org.rollbook.emulator.clever.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.zip.CRC32;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.rollbook.emulator.clever.DistrictSpec;
import org.rollbook.emulator.clever.Fault;
import org.rollbook.emulator.clever.Faults;

/** The HTTP side: OAuth endpoints, bearer auth, rate limiting, fault injection and the /v3.0 routes. */
public final class EmulatorServer {

    /** Settings from the public builder. */
    public record Config(String host, int port, long seed, DistrictSpec spec, String clientId, String clientSecret,
            Clock clock, int rateLimit, boolean nextOnFullLastPage, int threads) {
    }

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;
    static final List<String> DISTRICT_SCOPES = List.of("read:district_admins", "read:districts",
            "read:school_admins", "read:schools", "read:sections", "read:student_contacts", "read:students",
            "read:teachers", "read:user_id");

    private final Config config;
    private final DistrictModel model;
    private final FaultsImpl faults;
    private final RateLimiter limiter;
    private final String clientId;
    private final String clientSecret;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong tokenSeq = new AtomicLong();
    /** token -> info; revoked tokens are removed and remembered. */
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final CleverSsoImpl sso;
    private volatile String districtToken;
    private HttpServer server;
    private ExecutorService executor;

    record Token(String id, String value, String created, String userId) {
        boolean isDistrict() {
            return userId == null;
        }
    }

    public EmulatorServer(Config config) {
        this.config = config;
        this.model = new DistrictModel(config.seed(), config.spec(), config.clock());
        this.faults = new FaultsImpl(config.seed(), this::revoke);
        this.limiter = new RateLimiter(config.clock(), config.rateLimit());
        this.clientId = config.clientId() != null ? config.clientId() : Ids.hexToken(config.seed() ^ 0xC11E47L, 20);
        this.clientSecret = config.clientSecret() != null ? config.clientSecret()
                : Ids.hexToken(config.seed() ^ 0x5EC2E7L, 40);
        Token t = new Token(model.gen.userId(0).substring(0, 8) + Ids.hexToken(config.seed() ^ 0x1D, 16),
                Ids.hexToken(config.seed() ^ 0x70C3L, 40), Ids.isoMillis((model.gen.t0 - 86_400L) * 1000 + 335), null);
        tokens.put(t.value(), t);
        districtToken = t.value();
        this.sso = new CleverSsoImpl(this, model, config.seed(), config.clock());
    }

    // ---- lifecycle ------------------------------------------------------------------------------------

    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        HttpServer s = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "clever-emulator-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        executor = Executors.newFixedThreadPool(config.threads(), tf);
        s.setExecutor(executor);
        s.createContext("/", this::handle);
        s.start();
        server = s;
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    public synchronized URI baseUrl() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort());
    }

    public DistrictModel district() {
        return model;
    }

    public Faults faults() {
        return faults;
    }

    /** Patron SSO: the OAuth 2 authorization-code server (CleverSsoImpl). */
    public CleverSsoImpl sso() {
        return sso;
    }

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    public String districtToken() {
        return districtToken;
    }

    public long requestCount() {
        return requests.get();
    }

    public synchronized String rotateDistrictToken() {
        revoke(districtToken);
        Token t = newToken(null);
        districtToken = t.value();
        return t.value();
    }

    public String issueAuthorizationCode(String userId) {
        return sso.issueCode(userId, null);
    }

    Token newToken(String userId) {
        long n = tokenSeq.incrementAndGet();
        Token t = new Token(model.nextId(), Ids.hexToken(config.seed() * 1_000_003L + n, 40),
                Ids.isoMillis(model.nowMillis()), userId);
        tokens.put(t.value(), t);
        return t;
    }

    private void revoke(String token) {
        if (token != null) {
            tokens.remove(token);
            revoked.add(token);
        }
    }

    // ---- responses ------------------------------------------------------------------------------------

    /** A response before it is written. */
    static final class Resp {
        final int status;
        final String contentType;
        final byte[] body;
        final Map<String, String> headers = new LinkedHashMap<>();

        Resp(int status, String contentType, byte[] body) {
            this.status = status;
            this.contentType = contentType;
            this.body = body;
        }

        static Resp json(int status, JsonNode node) {
            return new Resp(status, "application/json; charset=utf-8", Json.bytes(node));
        }

        static Resp empty(int status) {
            return new Resp(status, null, new byte[0]);
        }
    }

    static Resp message(int status, String message) {
        ObjectNode o = Generator.F.objectNode();
        o.put("message", message);
        return Resp.json(status, o);
    }

    static Resp oauthError(int status, String error, String description) {
        ObjectNode o = Generator.F.objectNode();
        o.put("error", error);
        o.put("error_description", description);
        return Resp.json(status, o);
    }

    /** Express's default 404 page, as recorded for unknown v3.0 routes. */
    static Resp cannot(String method, String path) {
        String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n"
                + "</head>\n<body>\n<pre>Cannot " + method + " " + escape(path) + "</pre>\n</body>\n</html>\n";
        return new Resp(404, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String reason(int status) {
        switch (status) {
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 404: return "Not Found";
            case 413: return "Request Entity Too Large";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 501: return "Not Implemented";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return "Error";
        }
    }

    static Resp unauthorized() {
        return message(401, "Unauthorized");
    }

    private void send(HttpExchange ex, Resp r) throws IOException {
        r.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        if (r.contentType != null) {
            ex.getResponseHeaders().set("Content-Type", r.contentType);
        }
        boolean head = "HEAD".equals(ex.getRequestMethod());
        if (r.body.length == 0 || head) {
            ex.sendResponseHeaders(r.status, -1);
        } else {
            ex.sendResponseHeaders(r.status, r.body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(r.body);
            }
        }
        ex.close();
    }

    /** 200 + JSON headers, then half the body, then a clean end (chunked): invalid JSON, no I/O error. */
    private void sendTruncated(HttpExchange ex, Resp r) throws IOException {
        r.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.getResponseHeaders().set("Content-Type", r.contentType == null ? "application/json; charset=utf-8"
                : r.contentType);
        ex.sendResponseHeaders(r.status, 0);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(r.body, 0, Math.max(1, r.body.length / 2));
        }
        ex.close();
    }

    /** 200 + full Content-Length, then half the body, then the connection is dropped: the handler throws, and
     *  the JDK server closes the connection of an exchange whose handler failed. */
    private void sendReset(HttpExchange ex, Resp r) throws IOException {
        r.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.getResponseHeaders().set("Content-Type", r.contentType == null ? "application/json; charset=utf-8"
                : r.contentType);
        byte[] body = r.body.length < 2 ? "{\"data\":[]}".getBytes(StandardCharsets.UTF_8) : r.body;
        ex.sendResponseHeaders(r.status, body.length);
        OutputStream os = ex.getResponseBody();
        os.write(body, 0, body.length / 2);
        os.flush();
        throw new ResetException();
    }

    /** Thrown to make the server drop the connection mid-body. */
    static final class ResetException extends IOException {
        private static final long serialVersionUID = 1L;

        ResetException() {
            super("injected connection reset", null);
        }
    }

    // ---- request handling -----------------------------------------------------------------------------

    /** A parsed request: path, raw query and decoded parameters (repeatable). */
    static final class Req {
        final String method;
        final String path;
        final String rawQuery;
        final List<String[]> rawPairs = new ArrayList<>(); // {rawKeyValue, decodedKey}
        final Map<String, List<String>> params = new HashMap<>();

        Req(String method, URI uri) {
            this.method = method;
            // "//v3.0/users" arrives parsed as authority "v3.0" + path "/users": put the slashes back
            String p = uri.getRawPath() == null ? "" : uri.getRawPath();
            this.path = uri.getScheme() == null && uri.getRawAuthority() != null ? "//" + uri.getRawAuthority() + p : p;
            this.rawQuery = uri.getRawQuery();
            if (rawQuery != null && !rawQuery.isEmpty()) {
                for (String pair : rawQuery.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                    String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                    rawPairs.add(new String[] {pair, k});
                    params.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
                }
            }
        }

        String param(String name) {
            List<String> v = params.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        List<String> all(String name) {
            return params.getOrDefault(name, List.of());
        }

        String self() {
            return path + (rawQuery != null ? "?" + rawQuery : "");
        }

        /** path?[limit&][other params]&extra, without starting_after/ending_before. */
        String link(String extra) {
            StringBuilder sb = new StringBuilder(path).append('?');
            for (String[] p : rawPairs) {
                if (p[1].equals("limit")) {
                    sb.append(p[0]).append('&');
                }
            }
            for (String[] p : rawPairs) {
                if (!p[1].equals("limit") && !p[1].equals("starting_after") && !p[1].equals("ending_before")) {
                    sb.append(p[0]).append('&');
                }
            }
            return sb.append(extra).toString();
        }
    }

    static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (InputStream in = ex.getRequestBody()) {
            Req req = new Req(ex.getRequestMethod(), ex.getRequestURI());
            byte[] body = in.readAllBytes();
            if (req.path.startsWith("/oauth/") || req.path.startsWith("/emulator/")) {
                send(ex, oauth(ex, req, body));
            } else if (req.path.equals("/v3.0") || req.path.startsWith("/v3.0/")) {
                api(ex, req);
            } else {
                send(ex, cannot(req.method, req.path));
            }
        } catch (RuntimeException e) {
            send(ex, message(500, "Internal error: " + e));
        }
    }

    private void api(HttpExchange ex, Req req) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String bearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        Token token = bearer == null ? null : tokens.get(bearer);
        Map<String, String> common = new LinkedHashMap<>();
        common.put("Cache-Control", "no-store");
        common.put("X-Request-Id", UUID.randomUUID().toString());
        common.put("Clever-Request-Id", UUID.randomUUID().toString().replace("-", ""));
        common.put("Access-Control-Allow-Origin", "*");
        common.put("Server", "envoy");
        boolean allowed = true;
        if (token != null) {
            long[] rl = limiter.hit(token.value());
            common.put("X-RateLimit-Bucket", "bearer");
            common.put("X-RateLimit-Limit", String.valueOf(rl[0]));
            common.put("X-RateLimit-Remaining", String.valueOf(rl[1]));
            common.put("X-RateLimit-Reset", String.valueOf(rl[2]));
            allowed = rl[3] == 1;
        }
        Fault fault = faults.poll();
        Resp r;
        if (fault != null && fault.kind() == Fault.Kind.SLOW) {
            sleep(fault.delay().toMillis());
            fault = null;
        }
        if (fault != null && fault.kind() == Fault.Kind.HTTP_ERROR) {
            r = faultError(fault);
        } else if (fault != null && fault.kind() == Fault.Kind.UNAUTHORIZED) {
            r = unauthorized();
        } else if (fault != null && fault.kind() == Fault.Kind.RATE_LIMITED) {
            r = Resp.empty(429);
            common.put("X-RateLimit-Bucket", "bearer");
            common.put("X-RateLimit-Limit", String.valueOf(config.rateLimit()));
            common.put("X-RateLimit-Remaining", "0");
            common.putIfAbsent("X-RateLimit-Reset",
                    String.valueOf((Math.floorDiv(model.nowMillis(), 60_000L) + 1) * 60));
        } else if (token == null) {
            r = unauthorized();
        } else if (!allowed) {
            r = Resp.empty(429);
        } else {
            r = route(req, token);
        }
        if (!(fault != null && fault.kind() == Fault.Kind.HTTP_ERROR && fault.html())) {
            common.forEach(r.headers::putIfAbsent);
        }
        if (r.body.length > 0 && r.contentType != null && r.contentType.startsWith("application/json")) {
            CRC32 crc = new CRC32();
            crc.update(r.body);
            r.headers.put("ETag", "W/\"" + Integer.toHexString(r.body.length) + "-" + Long.toHexString(crc.getValue()) + "\"");
        }
        if (fault != null && fault.kind() == Fault.Kind.TRUNCATED_JSON) {
            sendTruncated(ex, r);
        } else if (fault != null && fault.kind() == Fault.Kind.CONNECTION_RESET) {
            sendReset(ex, r);
        } else {
            send(ex, r);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Resp faultError(Fault f) {
        int status = f.status();
        if (f.html()) {
            String html = "<html>\r\n<head><title>" + status + " " + reason(status) + "</title></head>\r\n<body>\r\n"
                    + "<center><h1>" + status + " " + reason(status) + "</h1></center>\r\n</body>\r\n</html>\r\n";
            return new Resp(status, "text/html", html.getBytes(StandardCharsets.UTF_8));
        }
        ObjectNode o = Generator.F.objectNode();
        o.put(f.errorField() ? "error" : "message", reason(status));
        return Resp.json(status, o);
    }

    // ---- routes ---------------------------------------------------------------------------------------

    private Resp route(Req req, Token token) {
        String[] seg = req.path.substring("/v3.0".length()).split("/", -1);
        // seg[0] is "" (leading slash); trailing slash gives a final ""
        List<String> s = new ArrayList<>();
        for (int i = 1; i < seg.length; i++) {
            s.add(seg[i]);
        }
        if (!"GET".equals(req.method) && !"HEAD".equals(req.method) || s.isEmpty() || s.contains("")) {
            return cannot(req.method, req.path);
        }
        String top = s.get(0);
        if (!token.isDistrict()) {
            return userTokenRoute(req, token, s);
        }
        switch (top) {
            case "me":
                return s.size() == 1 ? meDistrict(req) : cannot(req.method, req.path);
            case "districts":
                return districts(req, s);
            case "schools":
                return schools(req, s);
            case "users":
                return users(req, s);
            case "events":
                return events(req, s);
            case "sections":
            case "terms":
            case "courses":
            case "resources":
                return s.size() == 1 ? emptyList(req) : s.size() == 2 ? message(404, "Resource not found")
                        : cannot(req.method, req.path);
            default:
                return cannot(req.method, req.path);
        }
    }

    private Resp userTokenRoute(Req req, Token token, List<String> s) {
        Resp other = sso.userRoute(req, token.value(), s); // tokens of the second (SSO-only) district
        if (other != null) {
            return other;
        }
        if (s.size() == 1 && s.get(0).equals("me")) {
            ObjectNode u = model.userNode(token.userId());
            if (u == null) {
                return unauthorized();
            }
            ObjectNode o = Generator.F.objectNode();
            o.put("type", "user");
            ObjectNode d = o.putObject("data");
            d.put("id", token.userId());
            d.put("district", model.id());
            d.put("type", primaryType(u));
            d.put("authorized_by", "district");
            ArrayNode links = o.putArray("links");
            link(links, "self", "/me");
            link(links, "canonical", "/v3.0/users/" + token.userId());
            link(links, "district", "/v3.0/districts/" + model.id());
            return Resp.json(200, o);
        }
        if (s.size() == 2 && s.get(0).equals("users")) {
            return users(req, s);
        }
        if (s.size() == 2 && s.get(0).equals("districts")) {
            return districts(req, s);
        }
        return cannot(req.method, req.path); // token-type mismatch gives Express's HTML 404
    }

    static String primaryType(ObjectNode u) {
        JsonNode roles = u.path("roles");
        for (String r : List.of("district_admin", "teacher", "staff", "student", "contact")) {
            if (roles.has(r)) {
                return r;
            }
        }
        return "user";
    }

    private Resp meDistrict(Req req) {
        ObjectNode o = Generator.F.objectNode();
        o.put("type", "district");
        ObjectNode d = o.putObject("data");
        d.put("id", model.id());
        d.put("district", model.id());
        d.put("type", "district");
        ArrayNode links = o.putArray("links");
        link(links, "self", "/me");
        link(links, "canonical", "/v3.0/districts/" + model.id());
        link(links, "district", "/v3.0/districts/" + model.id());
        return Resp.json(200, o);
    }

    static void link(ArrayNode links, String rel, String uri) {
        ObjectNode l = links.addObject();
        l.put("rel", rel);
        l.put("uri", uri);
    }

    static Resp single(ObjectNode data, String... relUris) {
        ObjectNode o = Generator.F.objectNode();
        o.set("data", data);
        ArrayNode links = o.putArray("links");
        for (int i = 0; i + 1 < relUris.length; i += 2) {
            link(links, relUris[i], relUris[i + 1]);
        }
        return Resp.json(200, o);
    }

    private Resp districts(Req req, List<String> s) {
        String did = model.id();
        if (s.size() == 1) {
            if ("true".equals(req.param("count"))) {
                return count(req, 1);
            }
            ObjectNode o = Generator.F.objectNode();
            ArrayNode data = o.putArray("data");
            ObjectNode item = data.addObject();
            item.set("data", model.districtNode());
            item.put("uri", "/v3.0/districts/" + did);
            link(o.putArray("links"), "self", req.self());
            return Resp.json(200, o);
        }
        if (!s.get(1).equals(did)) {
            return message(404, "Resource not found");
        }
        if (s.size() == 2) {
            return districtSingle();
        }
        return cannot(req.method, req.path);
    }

    private Resp districtSingle() {
        String u = "/v3.0/districts/" + model.id();
        return single(model.districtNode(), "self", u, "schools", u + "/schools", "users", u + "/users",
                "sections", u + "/sections", "terms", u + "/terms", "courses", u + "/courses");
    }

    private Resp schoolSingle(ObjectNode school) {
        String u = "/v3.0/schools/" + school.get("id").asText();
        return single(school, "self", u, "district", u + "/district", "sections", u + "/sections",
                "users", u + "/users", "terms", u + "/terms", "courses", u + "/courses");
    }

    private Resp schools(Req req, List<String> s) {
        if (s.size() == 1) {
            return page(req, "/v3.0/schools/", (after, n) -> model.schoolsAfter(after, n),
                    (before, n) -> model.schoolsBefore(before, n), () -> model.schoolCount());
        }
        ObjectNode school = model.schoolNode(s.get(1));
        if (school == null) {
            return s.size() <= 3 ? message(404, "Resource not found") : cannot(req.method, req.path);
        }
        if (s.size() == 2) {
            return schoolSingle(school);
        }
        if (s.size() == 3) {
            switch (s.get(2)) {
                case "users": {
                    String role = req.param("role");
                    if (role != null && !role.isEmpty() && !List.of("staff", "student", "teacher").contains(role)) {
                        return message(400, "invalid role: " + role);
                    }
                    DistrictModel.Sel sel = model.selection(role == null || role.isEmpty() ? null : role,
                            school.get("id").asText());
                    return userPage(req, sel);
                }
                case "district":
                    return districtSingle();
                case "sections":
                case "terms":
                case "courses":
                    return emptyList(req);
                default:
                    return cannot(req.method, req.path);
            }
        }
        return cannot(req.method, req.path);
    }

    private Resp userPage(Req req, DistrictModel.Sel sel) {
        return page(req, "/v3.0/users/", (after, n) -> model.usersAfter(sel, after, n),
                (before, n) -> model.usersBefore(sel, before, n), () -> model.countUsers(sel));
    }

    private Resp users(Req req, List<String> s) {
        if (s.size() == 1) {
            String role = req.param("role");
            if (role != null && !role.isEmpty() && !org.rollbook.emulator.clever.District.ROLES.contains(role)) {
                return message(400, "invalid role: " + role);
            }
            return userPage(req, model.selection(role == null || role.isEmpty() ? null : role, null));
        }
        String id = s.get(1);
        ObjectNode u = model.userNode(id);
        if (u == null) {
            return s.size() <= 3 ? message(404, "Resource not found") : cannot(req.method, req.path);
        }
        String base = "/v3.0/users/" + id;
        if (s.size() == 2) {
            List<String> links = new ArrayList<>(List.of("self", base, "district", base + "/district",
                    "sections", base + "/sections"));
            JsonNode roles = u.path("roles");
            if (roles.has("student")) {
                links.addAll(List.of("myContacts", base + "/myContacts", "myTeachers", base + "/myTeachers"));
            }
            if (roles.has("teacher") || roles.has("contact")) {
                links.addAll(List.of("myStudents", base + "/myStudents"));
            }
            if (!roles.has("contact") && !(roles.size() == 1 && roles.has("district_admin"))) {
                links.addAll(List.of("schools", base + "/schools"));
            }
            return single(u, links.toArray(new String[0]));
        }
        if (s.size() == 3) {
            switch (s.get(2).toLowerCase(Locale.ROOT)) {
                case "district":
                    return districtSingle();
                case "schools": {
                    List<ObjectNode> list = new ArrayList<>();
                    for (ObjectNode sc : model.schoolsAfter(null, Integer.MAX_VALUE)) {
                        if (DistrictModel.inSchool(u, sc.get("id").asText())) {
                            list.add(sc);
                        }
                    }
                    return listPage(req, "/v3.0/schools/", list);
                }
                case "mystudents":
                case "mycontacts":
                    return listPage(req, "/v3.0/users/", model.related(u, s.get(2).toLowerCase(Locale.ROOT)));
                case "myteachers":
                case "sections":
                case "resources":
                    return emptyList(req);
                default:
                    return cannot(req.method, req.path);
            }
        }
        return cannot(req.method, req.path);
    }

    private Resp events(Req req, List<String> s) {
        if (s.size() == 2) {
            DistrictModel.Event e = model.event(s.get(1));
            if (e == null) {
                return message(404, "Resource not found");
            }
            return single(e.json(), "self", "/v3.0/events/" + e.id());
        }
        if (s.size() != 1) {
            return cannot(req.method, req.path);
        }
        List<String> types = req.all("record_type");
        String school = req.param("school");
        return page(req, "/v3.0/events/",
                (after, n) -> jsons(model.eventsAfter(types, school, after, n)),
                (before, n) -> jsons(model.eventsBefore(types, school, before, n)),
                () -> model.countEvents(types, school));
    }

    private static List<ObjectNode> jsons(List<DistrictModel.Event> events) {
        List<ObjectNode> out = new ArrayList<>(events.size());
        for (DistrictModel.Event e : events) {
            out.add(e.json());
        }
        return out;
    }

    private Resp emptyList(Req req) {
        return listPage(req, "/", List.of());
    }

    /** Pages over a small in-memory list (sub-resources). */
    private Resp listPage(Req req, String uriPrefix, List<ObjectNode> all) {
        return page(req, uriPrefix, (after, n) -> {
            List<ObjectNode> out = new ArrayList<>();
            for (ObjectNode o : all) {
                if ((after == null || o.get("id").asText().compareTo(after) > 0) && out.size() < n) {
                    out.add(o);
                }
            }
            return out;
        }, (before, n) -> {
            List<ObjectNode> out = new ArrayList<>();
            for (ObjectNode o : all) {
                if (before == null || o.get("id").asText().compareTo(before) < 0) {
                    out.add(o);
                }
            }
            return new ArrayList<>(out.subList(Math.max(0, out.size() - n), out.size()));
        }, all::size);
    }

    private Resp count(Req req, int n) {
        ObjectNode o = Generator.F.objectNode();
        o.put("count", n);
        link(o.putArray("links"), "self", req.self());
        return Resp.json(200, o);
    }

    /**
     * Cursor paging as recorded: ascending IDs, default limit 100, max 10000 (413 above), starting_after /
     * ending_before (ending_before=last: the newest page), self echoes the request, next only when more exist.
     */
    private Resp page(Req req, String uriPrefix, BiFunction<String, Integer, List<ObjectNode>> after,
            BiFunction<String, Integer, List<ObjectNode>> before, java.util.function.IntSupplier counter) {
        int limit = DEFAULT_LIMIT;
        String l = req.param("limit");
        if (l != null && !l.isEmpty()) {
            try {
                long v = Long.parseLong(l.trim());
                if (v > MAX_LIMIT) {
                    return message(413, "limit must be less than or equal to " + MAX_LIMIT);
                }
                if (v < 1) {
                    return message(400, "limit must be a positive integer");
                }
                limit = (int) v;
            } catch (NumberFormatException e) {
                return message(400, "could not parse limit '" + l + "'");
            }
        }
        if ("true".equals(req.param("count"))) {
            return count(req, counter.getAsInt());
        }
        String sa = req.param("starting_after");
        String eb = req.param("ending_before");
        List<ObjectNode> items;
        boolean next;
        boolean prev;
        if (sa == null && eb != null) {
            String bound = eb.equals("last") || eb.isEmpty() ? null : eb;
            items = before.apply(bound, limit + 1);
            prev = items.size() > limit;
            if (prev) {
                items = items.subList(1, items.size());
            }
            next = !items.isEmpty() && bound != null
                    && !after.apply(items.get(items.size() - 1).get("id").asText(), 1).isEmpty();
        } else {
            String cursor = sa == null || sa.isEmpty() ? null : sa;
            items = after.apply(cursor, limit + 1);
            next = items.size() > limit || config.nextOnFullLastPage() && items.size() == limit;
            if (items.size() > limit) {
                items = items.subList(0, limit);
            }
            prev = cursor != null && !items.isEmpty();
        }
        ObjectNode o = Generator.F.objectNode();
        ArrayNode data = o.putArray("data");
        for (ObjectNode it : items) {
            ObjectNode w = data.addObject();
            w.set("data", it);
            w.put("uri", uriPrefix + it.get("id").asText());
        }
        ArrayNode links = o.putArray("links");
        link(links, "self", req.self());
        if (next) {
            link(links, "next", req.link("starting_after=" + items.get(items.size() - 1).get("id").asText()));
        }
        if (prev) {
            link(links, "prev", req.link("ending_before=" + items.get(0).get("id").asText()));
        }
        return Resp.json(200, o);
    }

    // ---- OAuth ----------------------------------------------------------------------------------------

    private boolean clientAuthenticated(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon > 0 && decoded.substring(0, colon).equals(clientId)
                    && decoded.substring(colon + 1).equals(clientSecret);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Resp oauth(HttpExchange ex, Req req, byte[] body) {
        Resp r = oauthRoute(ex, req, body);
        r.headers.put("Cache-Control", "no-store");
        return r;
    }

    private Resp oauthRoute(HttpExchange ex, Req req, byte[] body) {
        if (req.path.startsWith("/emulator/")) {
            return sso.emulator(req);
        }
        switch (req.path) {
            case "/oauth/authorize":
                return sso.authorize(ex, req, body);
            case "/oauth/instant-login":
                return sso.instantLogin(req);
            case "/oauth/tokens":
                if ("GET".equals(req.method)) {
                    return listTokens(ex, req);
                }
                if ("POST".equals(req.method)) {
                    return sso.exchange(ex, body);
                }
                return cannot(req.method, req.path);
            case "/oauth/tokeninfo": {
                if (!"GET".equals(req.method)) {
                    return cannot(req.method, req.path);
                }
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                String bearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                        ? auth.substring(7).trim() : req.param("access_token");
                Token t = bearer == null ? null : tokens.get(bearer);
                if (t == null) {
                    return oauthError(401, "invalid_token", "The access token is invalid, expired or revoked.");
                }
                ObjectNode o = Generator.F.objectNode();
                o.put("client_id", sso.clientOf(t.value(), clientId));
                ArrayNode scopes = o.putArray("scopes");
                (t.isDistrict() ? DISTRICT_SCOPES : List.of("read:user_id", "read:students_limited",
                        "read:teachers_limited")).forEach(scopes::add);
                return Resp.json(200, o);
            }
            default:
                return cannot(req.method, req.path);
        }
    }

    private Resp listTokens(HttpExchange ex, Req req) {
        if (!clientAuthenticated(ex)) {
            return oauthError(401, "invalid_client", "Client authentication failed.");
        }
        String ownerType = req.param("owner_type");
        String district = req.param("district");
        ObjectNode o = Generator.F.objectNode();
        ArrayNode data = o.putArray("data");
        boolean match = (ownerType == null || ownerType.equals("district"))
                && (district == null || district.isEmpty() || district.equals(model.id()));
        if (match) {
            for (Token t : tokens.values()) {
                if (t.isDistrict()) {
                    ObjectNode d = data.addObject();
                    d.put("id", t.id());
                    d.put("created", t.created());
                    ObjectNode owner = d.putObject("owner");
                    owner.put("type", "district");
                    owner.put("id", model.id());
                    d.put("access_token", t.value());
                    ArrayNode scopes = d.putArray("scopes");
                    DISTRICT_SCOPES.forEach(scopes::add);
                }
            }
        }
        StringBuilder self = new StringBuilder("/oauth/tokens");
        String sep = "?";
        if (ownerType != null) {
            self.append(sep).append("owner_type=").append(ownerType);
            sep = "&";
        }
        if (district != null) {
            self.append(sep).append("district=").append(district);
        }
        link(o.putArray("links"), "self", self.toString());
        return Resp.json(200, o);
    }
}
