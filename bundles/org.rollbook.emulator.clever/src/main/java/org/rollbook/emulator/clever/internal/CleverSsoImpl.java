package org.rollbook.emulator.clever.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import org.rollbook.emulator.clever.CleverSso;
import org.rollbook.emulator.clever.District;
import org.rollbook.emulator.clever.DistrictSpec;
import org.rollbook.emulator.clever.internal.EmulatorServer.Req;
import org.rollbook.emulator.clever.internal.EmulatorServer.Resp;

/**
 * Clever's OAuth 2 authorization-code server for patron SSO (reference §3.2): {@code /oauth/authorize} (a user
 * picker instead of Clever's login), {@code /oauth/instant-login}, the code exchange on {@code POST /oauth/tokens},
 * the portal launch helper and the {@code /v3.0} routes of tokens of the second district. Codes are single-use
 * and short-lived; codes and tokens are never logged.
 */
public final class CleverSsoImpl implements CleverSso {

    /** UNCONFIRMED: the reference gives no lifetime for Clever codes; 10 minutes is the common OAuth choice. */
    static final Duration DEFAULT_CODE_LIFETIME = Duration.ofMinutes(10);
    static final List<String> LOGIN_ROLES = List.of("student", "teacher", "staff", "district_admin");
    static final int PER_ROLE = 20;
    static final int MAX_RESULTS = 50;
    static final int MAX_SCAN = 50_000;

    /** An app registration. */
    static final class Client {
        final String id;
        final String secret;
        final List<String> redirectUris = new CopyOnWriteArrayList<>();

        Client(String id, String secret) {
            this.id = id;
            this.secret = secret;
        }
    }

    /** An issued code: who it logs in, for which client, bound to which redirect URI (null: none). */
    record Code(String clientId, String userId, DistrictModel district, String redirectUri, boolean redirectExplicit,
            long expiresAtMillis) {
    }

    /** A user token: who it belongs to. */
    record Session(String clientId, String userId, DistrictModel district) {
    }

    /** A validated authorize request. */
    record Authz(Client client, String redirectUri, boolean redirectExplicit, String state, DistrictModel fixed,
            Map<String, String> carry) {
    }

    private final EmulatorServer server;
    private final DistrictModel main;
    private final DistrictModel other;
    private final Clock clock;
    private final String appClientId;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile Duration codeLifetime = DEFAULT_CODE_LIFETIME;

    CleverSsoImpl(EmulatorServer server, DistrictModel main, long seed, Clock clock) {
        this.server = server;
        this.main = main;
        this.clock = clock;
        this.other = new DistrictModel(seed ^ 0x07E2D15L, new DistrictSpec(6, 2, 1, 1, 0, 1), clock);
        this.appClientId = server.clientId();
        clients.put(appClientId, new Client(appClientId, server.clientSecret()));
    }

    // ---- public API ---------------------------------------------------------------------------------------

    @Override
    public URI authorizeUrl() {
        return URI.create(server.baseUrl() + "/oauth/authorize");
    }

    @Override
    public URI instantLoginUrl() {
        return URI.create(server.baseUrl() + "/oauth/instant-login?client_id=" + enc(appClientId) + "&district_id="
                + main.id());
    }

    @Override
    public URI portalLaunchUrl(String userId) {
        return URI.create(server.baseUrl() + "/emulator/portal/launch?user=" + enc(userId));
    }

    @Override
    public CleverSso addRedirectUri(String uri) {
        List<String> list = clients.get(appClientId).redirectUris;
        if (!list.contains(Objects.requireNonNull(uri))) {
            list.add(uri);
        }
        return this;
    }

    @Override
    public boolean removeRedirectUri(String uri) {
        return clients.get(appClientId).redirectUris.remove(uri);
    }

    @Override
    public List<String> redirectUris() {
        return List.copyOf(clients.get(appClientId).redirectUris);
    }

    @Override
    public CleverSso addClient(String clientId, String clientSecret, String... redirectUris) {
        Client c = new Client(Objects.requireNonNull(clientId), Objects.requireNonNull(clientSecret));
        c.redirectUris.addAll(List.of(redirectUris));
        if (clients.putIfAbsent(clientId, c) != null) {
            throw new IllegalArgumentException("client already registered: " + clientId);
        }
        return this;
    }

    @Override
    public CleverSso codeLifetime(Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("code lifetime must be positive");
        }
        this.codeLifetime = lifetime;
        return this;
    }

    @Override
    public Duration codeLifetime() {
        return codeLifetime;
    }

    @Override
    public District otherDistrict() {
        return other;
    }

    @Override
    public String issueCode(String userId, String redirectUri) {
        DistrictModel d = districtOf(userId, null);
        if (d == null) {
            throw new IllegalArgumentException("no such user: " + userId);
        }
        return newCode(appClientId, userId, d, redirectUri, redirectUri != null);
    }

    /** The client a user token was issued to, or {@code fallback} (district tokens). */
    String clientOf(String token, String fallback) {
        Session s = sessions.get(token);
        return s == null ? fallback : s.clientId();
    }

    // ---- /oauth/authorize and /oauth/instant-login -------------------------------------------------------------

    /** GET shows the picker; POST (the picker's forms, or a test) logs in {@code user} or denies. */
    Resp authorize(HttpExchange ex, Req req, byte[] body) {
        boolean post = "POST".equals(req.method);
        if (!post && !"GET".equals(req.method) && !"HEAD".equals(req.method)) {
            return EmulatorServer.cannot(req.method, req.path);
        }
        Map<String, String> p = params(req, post ? body : null, ex.getRequestHeaders().getFirst("Content-Type"));
        Object v = validate(p);
        if (v instanceof Resp r) {
            return r;
        }
        Authz a = (Authz) v;
        if (!post) {
            return picker(a, p, null, 200);
        }
        if (p.containsKey("deny")) {
            return redirect(a.redirectUri(), errorParams("access_denied", a.state()));
        }
        String user = p.getOrDefault("user", "").trim();
        DistrictModel d = user.isEmpty() ? null : districtOf(user, a.fixed());
        if (d == null) {
            return picker(a, p, user.isEmpty() ? "Pick a user." : "No user with id " + user
                    + (a.fixed() != null ? " in this district." : "."), 400);
        }
        String code = newCode(a.client().id, user, d, a.redirectUri(), a.redirectExplicit());
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"code", code});
        if (a.state() != null) {
            out.add(new String[] {"state", a.state()});
        }
        return redirect(a.redirectUri(), out);
    }

    /**
     * {@code /oauth/instant-login?client_id=…&district_id=…} (reference §3.2, way 2): the same picker, then the
     * primary redirect URI with a code and no state. What Clever does when the user is not signed in is
     * UNCONFIRMED; the picker stands in for Clever's login.
     */
    Resp instantLogin(Req req) {
        if (!"GET".equals(req.method) && !"HEAD".equals(req.method)) {
            return EmulatorServer.cannot(req.method, req.path);
        }
        Map<String, String> p = params(req, null, null);
        p.remove("redirect_uri");
        p.remove("state");
        p.put("response_type", "code");
        Object v = validate(p);
        return v instanceof Resp r ? r : picker((Authz) v, p, null, 200);
    }

    /**
     * RFC 6749 §4.1.2.1 order: a bad client or redirect URI gets an error page (never a redirect); then errors go
     * to the redirect URI. The error page's status and wording are UNCONFIRMED (reference §3.2 has none).
     */
    private Object validate(Map<String, String> p) {
        String clientId = p.get("client_id");
        Client c = clientId == null ? null : clients.get(clientId);
        if (c == null) {
            return errorPage(400, "invalid_client", clientId == null || clientId.isEmpty() ? "Missing client_id."
                    : "Unknown client_id " + clientId + ".");
        }
        String redirect = p.get("redirect_uri");
        boolean explicit = redirect != null;
        if (explicit && !c.redirectUris.contains(redirect)) {
            return errorPage(400, "invalid_redirect_uri", "The redirect_uri " + redirect
                    + " is not registered for this application.");
        }
        if (!explicit) {
            // UNCONFIRMED: Clever sends portal logins to the app's primary redirect URI (§3.2, way 1); an authorize
            // request without redirect_uri is treated the same way.
            if (c.redirectUris.isEmpty()) {
                return errorPage(400, "invalid_redirect_uri", "This application has no redirect URI registered.");
            }
            redirect = c.redirectUris.get(0);
        }
        String state = p.get("state");
        String responseType = p.get("response_type");
        if (responseType == null || responseType.isEmpty()) {
            return redirect(redirect, errorParams("invalid_request", state));
        }
        if (!responseType.equals("code")) {
            return redirect(redirect, errorParams("unsupported_response_type", state));
        }
        DistrictModel fixed = null;
        String districtId = p.get("district_id");
        if (districtId != null && !districtId.isEmpty()) {
            // district_id skips Clever's district picker (§3.2 [3P]); an unknown one is an error page (UNCONFIRMED).
            fixed = districtId.equals(main.id()) ? main : districtId.equals(other.id()) ? other : null;
            if (fixed == null) {
                return errorPage(400, "invalid_district", "Unknown district_id " + districtId + ".");
            }
        }
        Map<String, String> carry = new LinkedHashMap<>();
        for (String k : List.of("response_type", "client_id", "redirect_uri", "state", "district_id", "scope",
                "channel", "confirmed")) {
            if (p.containsKey(k)) {
                carry.put(k, p.get(k));
            }
        }
        return new Authz(c, redirect, explicit, state, fixed, carry);
    }

    // ---- portal launch ---------------------------------------------------------------------------------------

    /** {@code /emulator/portal/launch?user=<id>[&client_id=][&redirect_uri=]}: what a click in the Clever Portal
     *  does (§3.2, way 1): 302 to the (primary) redirect URI with a code and no state. */
    Resp emulator(Req req) {
        if (!req.path.equals("/emulator/portal/launch")
                || !"GET".equals(req.method) && !"HEAD".equals(req.method)) {
            return EmulatorServer.cannot(req.method, req.path);
        }
        Map<String, String> p = params(req, null, null);
        p.putIfAbsent("client_id", appClientId);
        p.remove("state");
        p.put("response_type", "code");
        Object v = validate(p);
        if (v instanceof Resp r) {
            return r;
        }
        Authz a = (Authz) v;
        String user = p.getOrDefault("user", "");
        DistrictModel d = districtOf(user, a.fixed());
        if (d == null) {
            return errorPage(404, "invalid_user", "No user with id " + user + ".");
        }
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"code", newCode(a.client().id, user, d, a.redirectUri(), a.redirectExplicit())});
        return redirect(a.redirectUri(), out);
    }

    // ---- POST /oauth/tokens (code exchange) --------------------------------------------------------------------

    /**
     * The code exchange [WIRE]: Basic client auth, JSON or form body {@code code, grant_type, redirect_uri} →
     * {@code {"access_token","token_type":"bearer"}}. Errors are OAuth-style JSON (§9.2): 401 invalid_client,
     * 400 unsupported_grant_type / invalid_request / invalid_grant ("Invalid grant: invalid code" for unknown,
     * used or expired codes [DOCS]). A code presented by another client is burnt; one presented with the wrong
     * redirect_uri is not (both UNCONFIRMED).
     */
    Resp exchange(HttpExchange ex, byte[] body) {
        Client c = authenticate(ex.getRequestHeaders().getFirst("Authorization"));
        if (c == null) {
            return EmulatorServer.oauthError(401, "invalid_client", "Client authentication failed.");
        }
        Map<String, String> form = new LinkedHashMap<>();
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        if (ct != null && ct.toLowerCase(Locale.ROOT).contains("json")) {
            try {
                JsonNode n = Json.parse(body);
                n.fields().forEachRemaining(e -> form.put(e.getKey(), e.getValue().asText()));
            } catch (IOException | RuntimeException e) {
                return EmulatorServer.oauthError(400, "invalid_request", "Could not parse the request body.");
            }
        } else {
            parseForm(new String(body, StandardCharsets.UTF_8), form);
        }
        String grant = form.get("grant_type");
        if (!"authorization_code".equals(grant)) {
            return EmulatorServer.oauthError(400, "unsupported_grant_type", "Unsupported grant type: " + grant);
        }
        String value = form.get("code");
        if (value == null || value.isEmpty()) {
            return EmulatorServer.oauthError(400, "invalid_request", "Missing code.");
        }
        Code code = codes.get(value);
        if (code == null) {
            return invalidCode();
        }
        if (!code.clientId().equals(c.id)) {
            codes.remove(value, code);
            return invalidCode();
        }
        if (clock.millis() >= code.expiresAtMillis()) {
            codes.remove(value, code);
            return invalidCode();
        }
        String redirect = form.get("redirect_uri");
        if (code.redirectUri() != null && (redirect == null ? code.redirectExplicit()
                : !redirect.equals(code.redirectUri()))) {
            return EmulatorServer.oauthError(400, "invalid_grant",
                    "Invalid grant: redirect_uri does not match the authorization request.");
        }
        if (!codes.remove(value, code) || code.district().userNode(code.userId()) == null) {
            return invalidCode();
        }
        String token = server.newToken(code.userId()).value();
        sessions.put(token, new Session(c.id, code.userId(), code.district()));
        ObjectNode o = Generator.F.objectNode();
        o.put("access_token", token);
        o.put("token_type", "bearer");
        return Resp.json(200, o);
    }

    private static Resp invalidCode() {
        return EmulatorServer.oauthError(400, "invalid_grant", "Invalid grant: invalid code");
    }

    private Client authenticate(String auth) {
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            Client c = colon > 0 ? clients.get(decoded.substring(0, colon)) : null;
            return c != null && c.secret.equals(decoded.substring(colon + 1)) ? c : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---- /v3.0 with a token of the other district --------------------------------------------------------------

    /**
     * Routes of a user token of the second district (§3.2: an SSO token reaches only {@code /me},
     * {@code /districts/{id}} and {@code /users/{id}}); null for tokens of the emulator's district, which the
     * main routes serve.
     */
    Resp userRoute(Req req, String token, List<String> s) {
        Session session = sessions.get(token);
        if (session == null || session.district() == main) {
            return null;
        }
        DistrictModel d = session.district();
        if (s.size() == 1 && s.get(0).equals("me")) {
            ObjectNode u = d.userNode(session.userId());
            if (u == null) {
                return EmulatorServer.unauthorized();
            }
            return Resp.json(200, me(session.userId(), d.id(), u));
        }
        if (s.size() == 2 && s.get(0).equals("users")) {
            ObjectNode u = d.userNode(s.get(1));
            if (u == null) {
                return EmulatorServer.message(404, "Resource not found");
            }
            String base = "/v3.0/users/" + s.get(1);
            return EmulatorServer.single(u, "self", base, "district", base + "/district", "sections",
                    base + "/sections");
        }
        if (s.size() == 2 && s.get(0).equals("districts")) {
            if (!s.get(1).equals(d.id())) {
                return EmulatorServer.message(404, "Resource not found");
            }
            String u = "/v3.0/districts/" + d.id();
            return EmulatorServer.single(d.districtNode(), "self", u, "schools", u + "/schools", "users",
                    u + "/users", "sections", u + "/sections", "terms", u + "/terms", "courses", u + "/courses");
        }
        return EmulatorServer.cannot(req.method, req.path);
    }

    /** The first recorded {@code /me} shape [WIRE]. */
    static ObjectNode me(String userId, String districtId, ObjectNode user) {
        ObjectNode o = Generator.F.objectNode();
        o.put("type", "user");
        ObjectNode d = o.putObject("data");
        d.put("id", userId);
        d.put("district", districtId);
        d.put("type", EmulatorServer.primaryType(user));
        d.put("authorized_by", "district");
        ArrayNode links = o.putArray("links");
        EmulatorServer.link(links, "self", "/me");
        EmulatorServer.link(links, "canonical", "/v3.0/users/" + userId);
        EmulatorServer.link(links, "district", "/v3.0/districts/" + districtId);
        return o;
    }

    // ---- the picker page -------------------------------------------------------------------------------------

    private Resp picker(Authz a, Map<String, String> p, String message, int status) {
        DistrictModel view = a.fixed() != null ? a.fixed() : other.id().equals(p.get("district")) ? other : main;
        String q = p.getOrDefault("q", "").trim();
        StringBuilder b = new StringBuilder();
        b.append("<h1>Clever (emulator): log in</h1>\n");
        b.append("<p>Application <code id=\"client-id\">").append(esc(a.client().id)).append("</code>, returning to <code id=\"redirect-uri\">")
                .append(esc(a.redirectUri())).append("</code>").append(a.state() == null ? " (no state)" : "")
                .append(".</p>\n");
        b.append("<p>District: <strong id=\"district\" data-district-id=\"").append(view.id()).append("\">")
                .append(esc(view.districtNode().path("name").asText())).append("</strong>");
        if (a.fixed() == null) {
            for (DistrictModel d : List.of(main, other)) {
                if (d != view) {
                    Map<String, String> sw = new LinkedHashMap<>(a.carry());
                    sw.put("district", d.id());
                    b.append(" · <a id=\"district-").append(d.id()).append("\" data-district-id=\"").append(d.id())
                            .append("\" href=\"").append(esc(selfUrl(sw))).append("\">switch to ")
                            .append(esc(d.districtNode().path("name").asText())).append("</a>");
                }
            }
        }
        b.append("</p>\n");
        if (message != null) {
            b.append("<p id=\"pick-error\" class=\"error\">").append(esc(message)).append("</p>\n");
        }
        b.append("<form id=\"search\" method=\"get\" action=\"/oauth/authorize\">\n");
        hidden(b, a.carry());
        hidden(b, Map.of("district", view.id()));
        b.append("<input id=\"q\" name=\"q\" value=\"").append(esc(q))
                .append("\" placeholder=\"name, email, id or SIS id\"> <button id=\"search-button\" type=\"submit\">Search</button>\n</form>\n");
        b.append("<form id=\"pick\" method=\"post\" action=\"/oauth/authorize\">\n");
        hidden(b, a.carry());
        List<ObjectNode> users = q.isEmpty() ? firstUsers(view) : search(view, q);
        b.append("<ul id=\"users\">\n");
        for (ObjectNode u : users) {
            String id = u.path("id").asText();
            String role = EmulatorServer.primaryType(u);
            String name = (u.path("name").path("first").asText("") + " " + u.path("name").path("last").asText(""))
                    .trim();
            b.append("<li class=\"user\" data-user-id=\"").append(id).append("\" data-role=\"").append(role)
                    .append("\" data-district-id=\"").append(view.id()).append("\"><button type=\"submit\" name=\"user\" value=\"")
                    .append(id).append("\" id=\"pick-").append(id).append("\" data-user-id=\"").append(id).append("\">")
                    .append(esc(name.isEmpty() ? id : name)).append("</button> <span class=\"role\">").append(role)
                    .append("</span> <span class=\"email\">").append(esc(u.path("email").asText(""))).append("</span> <code>")
                    .append(id).append("</code></li>\n");
        }
        b.append("</ul>\n");
        if (users.isEmpty()) {
            b.append("<p id=\"no-users\">No matching users.</p>\n");
        }
        b.append("</form>\n");
        b.append("<form id=\"pick-by-id\" method=\"post\" action=\"/oauth/authorize\">\n");
        hidden(b, a.carry());
        b.append("<label>User id <input id=\"user-id\" name=\"user\" placeholder=\"24-hex Clever user id\"></label> "
                + "<button id=\"pick-by-id-button\" type=\"submit\">Log in as this user</button>\n</form>\n");
        b.append("<form id=\"deny\" method=\"post\" action=\"/oauth/authorize\">\n");
        hidden(b, a.carry());
        b.append("<button id=\"deny-button\" type=\"submit\" name=\"deny\" value=\"1\">Cancel</button>\n</form>\n");
        return html(status, "Log in with Clever (emulator)", b.toString());
    }

    private static String selfUrl(Map<String, String> params) {
        StringBuilder sb = new StringBuilder("/oauth/authorize");
        char sep = '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            sb.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
            sep = '&';
        }
        return sb.toString();
    }

    private static List<ObjectNode> firstUsers(DistrictModel d) {
        List<ObjectNode> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String role : LOGIN_ROLES) {
            for (ObjectNode u : d.usersAfter(d.selection(role, null), null, PER_ROLE)) {
                if (seen.add(u.path("id").asText())) {
                    out.add(u);
                }
            }
        }
        return out;
    }

    /** Case-insensitive substring of name, email, id or SIS id over the first {@value #MAX_SCAN} users. */
    private static List<ObjectNode> search(DistrictModel d, String q) {
        String needle = q.toLowerCase(Locale.ROOT);
        List<ObjectNode> out = new ArrayList<>();
        ObjectNode exact = d.userNode(q);
        if (exact != null) {
            out.add(exact);
        }
        DistrictModel.Sel all = d.selection(null, null);
        String after = null;
        int scanned = 0;
        while (out.size() < MAX_RESULTS && scanned < MAX_SCAN) {
            List<ObjectNode> chunk = d.usersAfter(all, after, 1000);
            if (chunk.isEmpty()) {
                break;
            }
            for (ObjectNode u : chunk) {
                if (u != exact && matches(u, needle) && out.size() < MAX_RESULTS) {
                    out.add(u);
                }
            }
            scanned += chunk.size();
            after = chunk.get(chunk.size() - 1).path("id").asText();
        }
        return out;
    }

    private static boolean matches(ObjectNode u, String needle) {
        JsonNode name = u.path("name");
        String hay = (name.path("first").asText("") + " " + name.path("last").asText("") + " "
                + u.path("email").asText("") + " " + u.path("id").asText("") + " " + sisIds(u))
                .toLowerCase(Locale.ROOT);
        return hay.contains(needle);
    }

    private static String sisIds(ObjectNode u) {
        StringBuilder sb = new StringBuilder();
        u.path("roles").elements().forEachRemaining(r -> sb.append(r.path("sis_id").asText("")).append(' '));
        return sb.toString();
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private DistrictModel districtOf(String userId, DistrictModel only) {
        if (userId == null || userId.isEmpty()) {
            return null;
        }
        for (DistrictModel d : only != null ? List.of(only) : List.of(main, other)) {
            if (d.userNode(userId) != null) {
                return d;
            }
        }
        return null;
    }

    private String newCode(String clientId, String userId, DistrictModel d, String redirectUri, boolean explicit) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        String code = HexFormat.of().formatHex(b);
        codes.put(code, new Code(clientId, userId, d, redirectUri, explicit,
                clock.millis() + codeLifetime.toMillis()));
        if (codes.size() > 10_000) {
            long now = clock.millis();
            codes.values().removeIf(c -> c.expiresAtMillis() <= now);
        }
        return code;
    }

    /** Query parameters, overridden by a form body (POST). First value wins within each. */
    private static Map<String, String> params(Req req, byte[] body, String contentType) {
        Map<String, String> p = new LinkedHashMap<>();
        req.params.forEach((k, v) -> {
            if (!v.isEmpty()) {
                p.put(k, v.get(0));
            }
        });
        if (body != null && body.length > 0 && (contentType == null
                || contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded"))) {
            Map<String, String> form = new LinkedHashMap<>();
            parseForm(new String(body, StandardCharsets.UTF_8), form);
            p.putAll(form);
        }
        return p;
    }

    static void parseForm(String text, Map<String, String> into) {
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = EmulatorServer.decode(eq < 0 ? pair : pair.substring(0, eq));
            into.putIfAbsent(k, eq < 0 ? "" : EmulatorServer.decode(pair.substring(eq + 1)));
        }
    }

    private static List<String[]> errorParams(String error, String state) {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"error", error});
        if (state != null) {
            out.add(new String[] {"state", state});
        }
        return out;
    }

    /** 302 to {@code uri} with {@code params} appended to its query (state echoed byte for byte). */
    static Resp redirect(String uri, List<String[]> params) {
        StringBuilder sb = new StringBuilder(uri);
        int hash = uri.indexOf('#');
        String fragment = "";
        if (hash >= 0) {
            fragment = sb.substring(hash);
            sb.setLength(hash);
        }
        String sep = sb.indexOf("?") < 0 ? "?" : sb.charAt(sb.length() - 1) == '?' || sb.charAt(sb.length() - 1) == '&'
                ? "" : "&";
        for (String[] kv : params) {
            sb.append(sep).append(enc(kv[0])).append('=').append(enc(kv[1]));
            sep = "&";
        }
        Resp r = Resp.empty(302);
        r.headers.put("Location", sb.append(fragment).toString());
        return r;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static void hidden(StringBuilder b, Map<String, String> fields) {
        for (Map.Entry<String, String> e : fields.entrySet()) {
            b.append("<input type=\"hidden\" name=\"").append(esc(e.getKey())).append("\" value=\"")
                    .append(esc(e.getValue())).append("\">\n");
        }
    }

    private static Resp errorPage(int status, String error, String description) {
        return html(status, "Clever (emulator): error", "<h1>Clever (emulator)</h1>\n<p id=\"error\" data-error=\""
                + esc(error) + "\">" + esc(description) + "</p>\n");
    }

    private static Resp html(int status, String title, String body) {
        String page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + esc(title)
                + "</title>\n<style>body{font-family:sans-serif;margin:2em}li{margin:.2em 0}.error{color:#b00}"
                + "code{color:#555}</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
        return new Resp(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }
}
