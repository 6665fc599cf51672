package org.rollbook.emulator.oneroster.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import org.rollbook.emulator.oneroster.ClassLinkSso;
import org.rollbook.emulator.oneroster.District;
import org.rollbook.emulator.oneroster.DistrictSpec;
import org.rollbook.emulator.oneroster.Role;
import org.rollbook.emulator.oneroster.RosterOrg;
import org.rollbook.emulator.oneroster.RosterUser;

/**
 * ClassLink SSO (reference §3.3): {@code /oauth2/v2/auth} (a user picker stands in for ClassLink's login and
 * consent), {@code POST /oauth2/v2/token}, {@code GET /v2/my/info}, and the emulator-only LaunchPad helpers under
 * {@code /emulator/launchpad}. Codes are single-use; codes and tokens are never logged.
 */
public final class ClassLinkSsoImpl implements ClassLinkSso {

    /** Settings from the public builder. */
    public record Settings(String clientId, String clientSecret, List<String> redirectUris, Long tenantId,
            Long otherTenantId, Duration codeLifetime, Duration tokenLifetime) {
    }

    static final Set<String> SCOPES = Set.of("profile", "oneroster", "full", "email", "openid");
    static final String STATE_NAME = "New Jersey"; // the §3.3 example's StateName/StateId
    static final int STATE_ID = 2;
    static final int PER_ROLE = 15;
    static final int MAX_RESULTS = 50;
    static final int MAX_SCAN = 50_000;

    /** A ClassLink tenant: its TenantId and the users who can log in. */
    static final class Tenant {
        final long id;
        final int slot;
        final DistrictImpl district;
        volatile boolean oneRoster = true;

        Tenant(long id, int slot, DistrictImpl district) {
            this.id = id;
            this.slot = slot;
            this.district = district;
        }

        String name() {
            RosterOrg o = district.orgById(district.districtOrgId());
            return o == null ? "Tenant " + id : o.name();
        }
    }

    static final class Client {
        final String id;
        final String secret;
        final List<String> redirectUris = new CopyOnWriteArrayList<>();

        Client(String id, String secret) {
            this.id = id;
            this.secret = secret;
        }
    }

    record Code(String clientId, Tenant tenant, String sourcedId, String redirectUri, String nonce,
            long expiresAtMillis) {
    }

    record Session(String clientId, long expiresAtMillis, ObjectNode info) {
    }

    record Authz(Client client, String redirectUri, String state, String nonce, Map<String, String> carry) {
    }

    private final EmulatorServer server;
    private final Clock clock;
    private final Tenant main;
    private final Tenant other;
    private final String appClientId;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Long> customUserIds = new ConcurrentHashMap<>();
    private final AtomicLong nextCustomUserId = new AtomicLong();
    private volatile Duration codeLifetime;
    private volatile Duration tokenLifetime;

    public ClassLinkSsoImpl(EmulatorServer server, Settings s) {
        this.server = server;
        Config c = server.config();
        this.clock = c.clock();
        long tid = s.tenantId() != null ? s.tenantId() : c.tenantId().matches("[0-9]{1,15}") ? Long.parseLong(c.tenantId()) : 2L;
        long oid = s.otherTenantId() != null ? s.otherTenantId() : tid + 1;
        if (tid == oid) throw new IllegalArgumentException("the two tenants need different TenantIds");
        this.main = new Tenant(tid, 0, server.district());
        this.other = new Tenant(oid, 1, new DistrictImpl(c.seed() ^ 0x07E2L, new DistrictSpec(6, 2, 1, 2, 1), clock));
        // shaped like the documented ones: "c1" + 44 hex client ids (§3.3 examples)
        this.appClientId = s.clientId() != null ? s.clientId() : "c1" + hex(c.seed() ^ 0x550C1L, 44);
        String secret = s.clientSecret() != null ? s.clientSecret() : hex(c.seed() ^ 0x55EC2L, 40);
        Client app = new Client(appClientId, secret);
        app.redirectUris.addAll(s.redirectUris());
        clients.put(appClientId, app);
        this.codeLifetime = s.codeLifetime() != null ? s.codeLifetime() : Duration.ofMinutes(5);
        this.tokenLifetime = s.tokenLifetime() != null ? s.tokenLifetime() : Duration.ofHours(24);
    }

    private static String hex(long seed, int chars) {
        StringBuilder sb = new StringBuilder();
        long h = seed;
        while (sb.length() < chars) {
            h = Gen.mix(h + 0x9E3779B97F4A7C15L);
            sb.append(HexFormat.of().toHexDigits(h));
        }
        return sb.substring(0, chars);
    }

    // ---- public API ---------------------------------------------------------------------------------------

    String root() {
        String h = server.config().host();
        if (h.contains(":")) h = "[" + h + "]";
        return "http://" + h + ":" + server.port();
    }

    @Override public URI launchpadUrl() { return URI.create(root()); }

    @Override public URI nodeApiUrl() { return URI.create(root()); }

    @Override public URI authorizeUrl() { return URI.create(root() + "/oauth2/v2/auth"); }

    @Override public URI tokenUrl() { return URI.create(root() + "/oauth2/v2/token"); }

    @Override public URI infoUrl() { return URI.create(root() + "/v2/my/info"); }

    @Override
    public URI launchUrl(long tenantId, String sourcedId) {
        return URI.create(root() + "/emulator/launchpad/launch?tenant=" + tenantId + "&user=" + enc(sourcedId));
    }

    @Override public String clientId() { return appClientId; }

    @Override public String clientSecret() { return clients.get(appClientId).secret; }

    @Override
    public ClassLinkSso addRedirectUri(String uri) {
        List<String> l = clients.get(appClientId).redirectUris;
        if (!l.contains(Objects.requireNonNull(uri))) l.add(uri);
        return this;
    }

    @Override public boolean removeRedirectUri(String uri) { return clients.get(appClientId).redirectUris.remove(uri); }

    @Override public List<String> redirectUris() { return List.copyOf(clients.get(appClientId).redirectUris); }

    @Override
    public ClassLinkSso addClient(String clientId, String clientSecret, String... redirectUris) {
        Client c = new Client(Objects.requireNonNull(clientId), Objects.requireNonNull(clientSecret));
        c.redirectUris.addAll(List.of(redirectUris));
        if (clients.putIfAbsent(clientId, c) != null) throw new IllegalArgumentException("client already registered: " + clientId);
        return this;
    }

    @Override
    public ClassLinkSso codeLifetime(Duration d) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("lifetime must be positive");
        codeLifetime = d;
        return this;
    }

    @Override public Duration codeLifetime() { return codeLifetime; }

    @Override
    public ClassLinkSso tokenLifetime(Duration d) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("lifetime must be positive");
        tokenLifetime = d;
        return this;
    }

    @Override public long tenantId() { return main.id; }

    @Override public String tenantName() { return main.name(); }

    @Override public long otherTenantId() { return other.id; }

    @Override public District otherTenant() { return other.district; }

    @Override
    public ClassLinkSso oneRosterEnabled(long tenantId, boolean enabled) {
        tenant(tenantId).oneRoster = enabled;
        return this;
    }

    @Override
    public long userId(long tenantId, String sourcedId) {
        return userId(tenant(tenantId), sourcedId);
    }

    @Override
    public String issueCode(long tenantId, String sourcedId, String redirectUri) {
        Tenant t = tenant(tenantId);
        if (t.district.userById(sourcedId) == null) throw new IllegalArgumentException("no user " + sourcedId + " in tenant " + tenantId);
        return newCode(appClientId, t, sourcedId, redirectUri, null);
    }

    private Tenant tenant(long id) {
        if (id == main.id) return main;
        if (id == other.id) return other;
        throw new IllegalArgumentException("unknown tenant " + id);
    }

    private Tenant tenantOrNull(String id) {
        if (id == null) return null;
        return id.equals(Long.toString(main.id)) ? main : id.equals(Long.toString(other.id)) ? other : null;
    }

    /** Generated sourcedIds map to fixed UserIds (tenant slot, kind, index); other ids get the next free number. */
    private long userId(Tenant t, String sourcedId) {
        long k = Gen.parseUserId(sourcedId);
        long base = (t.slot + 1) * 100_000_000L;
        if (k >= 0) return base + (k >>> 32) * 10_000_000L + (int) k;
        return customUserIds.computeIfAbsent(t.slot + "|" + sourcedId, x -> base + 50_000_000L + nextCustomUserId.incrementAndGet());
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------

    /** True for the paths this class serves (at the emulator's root, before the tenant prefix is looked at). */
    public static boolean handles(String rawPath) {
        return rawPath.startsWith("/oauth2/") || rawPath.equals("/v2/my") || rawPath.startsWith("/v2/my/")
                || rawPath.startsWith("/emulator/");
    }

    public void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String m = ex.getRequestMethod();
        byte[] body = ex.getRequestBody().readAllBytes();
        Resp r;
        try {
            r = switch (path) {
                case "/oauth2/v2/auth" -> m.equals("GET") || m.equals("HEAD") || m.equals("POST") ? authorize(ex, m, body) : notAllowed("GET, POST");
                case "/oauth2/v2/token" -> m.equals("POST") ? token(ex, body) : notAllowed("POST");
                case "/v2/my/info" -> m.equals("GET") || m.equals("HEAD") ? info(ex) : notAllowed("GET");
                case "/emulator/launchpad" -> m.equals("GET") || m.equals("HEAD") ? launchpad(ex) : notAllowed("GET");
                case "/emulator/launchpad/launch" -> m.equals("GET") || m.equals("HEAD") ? launch(ex) : notAllowed("GET");
                default -> json(404, Tables.F.objectNode().put("error", "not_found").put("error_description", "Not found: " + path));
            };
        } catch (RuntimeException e) {
            r = json(500, Tables.F.objectNode().put("error", "server_error").put("error_description", "emulator error: " + e));
        }
        send(ex, r);
    }

    // ---- /oauth2/v2/auth ------------------------------------------------------------------------------------

    private Resp authorize(HttpExchange ex, String method, byte[] body) {
        boolean post = method.equals("POST");
        Map<String, String> p = params(ex, post ? body : null);
        Object v = validate(p);
        if (v instanceof Resp r) return r;
        Authz a = (Authz) v;
        if (!post) return picker(a, p, null, 200);
        if (p.containsKey("deny")) return redirect(a.redirectUri(), errorParams("access_denied", a.state()));
        Tenant t = tenantOrNull(p.getOrDefault("tenant", Long.toString(main.id)));
        String user = p.getOrDefault("user", "").trim();
        if (t == null || user.isEmpty() || t.district.userById(user) == null) {
            return picker(a, p, user.isEmpty() ? "Pick a user." : "No user with sourcedId " + user + " in this tenant.", 400);
        }
        return success(a.client(), t, user, a.redirectUri(), a.state(), a.nonce());
    }

    /** §3.3 [CL-DOC]: success → {@code redirect_uri?code=…&response_type=code&state=…} (state only if sent). */
    private Resp success(Client c, Tenant t, String sourcedId, String redirectUri, String state, String nonce) {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] { "code", newCode(c.id, t, sourcedId, redirectUri, nonce) });
        out.add(new String[] { "response_type", "code" });
        if (state != null) out.add(new String[] { "state", state });
        return redirect(redirectUri, out);
    }

    /**
     * A bad client or redirect URI gets an error page, never a redirect (RFC 6749 §4.1.2.1); then errors go back to
     * the app. redirect_uri and scope are required [CL-DOC]; the error page and the error codes for a missing or
     * unknown scope are UNCONFIRMED (the reference documents only {@code access_denied}).
     */
    private Object validate(Map<String, String> p) {
        String clientId = p.get("client_id");
        Client c = clientId == null ? null : clients.get(clientId);
        if (c == null) return errorPage(400, "invalid_client", clientId == null || clientId.isEmpty() ? "Missing client_id." : "Unknown client_id " + clientId + ".");
        String redirect = p.get("redirect_uri");
        if (redirect == null || redirect.isEmpty()) return errorPage(400, "invalid_redirect_uri", "Missing redirect_uri.");
        if (!c.redirectUris.contains(redirect)) return errorPage(400, "invalid_redirect_uri", "The redirect_uri " + redirect + " is not registered for this application.");
        String state = p.get("state");
        String rt = p.get("response_type");
        if (rt == null || rt.isEmpty()) return redirect(redirect, errorParams("invalid_request", state));
        if (!rt.equals("code")) return redirect(redirect, errorParams("unsupported_response_type", state));
        String scope = p.get("scope");
        if (scope == null || scope.isBlank()) return redirect(redirect, errorParams("invalid_scope", state));
        for (String s : scope.split("[ ,+]+")) {
            if (!s.isEmpty() && !SCOPES.contains(s)) return redirect(redirect, errorParams("invalid_scope", state));
        }
        Map<String, String> carry = new LinkedHashMap<>();
        for (String k : List.of("client_id", "redirect_uri", "response_type", "scope", "state", "nonce")) {
            if (p.containsKey(k)) carry.put(k, p.get(k));
        }
        return new Authz(c, redirect, state, p.get("nonce"), carry);
    }

    // ---- LaunchPad (provider-initiated) -------------------------------------------------------------------------

    /**
     * {@code /emulator/launchpad/launch?tenant=&user=[&client_id=][&redirect_uri=]}: the app's tile in LaunchPad.
     * The reference (§3.3) does not describe how LaunchPad starts an OAuth app; modelled as a redirect to the app's
     * first redirect URI with a code and no state (UNCONFIRMED), like Clever's portal.
     */
    private Resp launch(HttpExchange ex) {
        Map<String, String> p = params(ex, null);
        Client c = clients.get(p.getOrDefault("client_id", appClientId));
        if (c == null) return errorPage(400, "invalid_client", "Unknown client_id.");
        String redirect = p.get("redirect_uri");
        if (redirect == null) {
            if (c.redirectUris.isEmpty()) return errorPage(400, "invalid_redirect_uri", "This application has no redirect URI registered.");
            redirect = c.redirectUris.get(0);
        } else if (!c.redirectUris.contains(redirect)) {
            return errorPage(400, "invalid_redirect_uri", "The redirect_uri " + redirect + " is not registered for this application.");
        }
        Tenant t = tenantOrNull(p.getOrDefault("tenant", Long.toString(main.id)));
        String user = p.getOrDefault("user", "");
        if (t == null || t.district.userById(user) == null) return errorPage(404, "invalid_user", "No user " + user + " in that tenant.");
        return success(c, t, user, redirect, null, null);
    }

    /** {@code /emulator/launchpad[?client_id=]}: the picker in LaunchPad mode (the forms post without state). */
    private Resp launchpad(HttpExchange ex) {
        Map<String, String> p = params(ex, null);
        p.putIfAbsent("client_id", appClientId);
        Client c = clients.get(p.get("client_id"));
        if (c == null) return errorPage(400, "invalid_client", "Unknown client_id.");
        if (c.redirectUris.isEmpty()) return errorPage(400, "invalid_redirect_uri", "This application has no redirect URI registered.");
        p.put("redirect_uri", c.redirectUris.get(0));
        p.put("response_type", "code");
        p.put("scope", "profile");
        p.remove("state");
        Object v = validate(p);
        return v instanceof Resp r ? r : picker((Authz) v, p, null, 200);
    }

    // ---- /oauth2/v2/token -------------------------------------------------------------------------------------

    /**
     * §3.3 [CL-DOC]: form body {@code client_id, client_secret, code} (HTTP Basic also accepted; {@code grant_type}
     * optional, but if sent it must be {@code authorization_code}; {@code redirect_uri} optional, but if sent it
     * must match the authorize request) → {@code {"access_token","token_type":"Bearer","response_type":"code",
     * "id_token"}} — no {@code expires_in} in ClassLink's documented response. Error bodies and statuses are the
     * RFC 6749 §5.2 ones (UNCONFIRMED for ClassLink). A code presented by another client is burnt.
     */
    private Resp token(HttpExchange ex, byte[] body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String[] kv : OAuth1.parseQuery(new String(body, StandardCharsets.UTF_8))) form.putIfAbsent(kv[0], kv[1]);
        String id = form.get("client_id"), secret = form.get("client_secret");
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String dec = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
                int i = dec.indexOf(':');
                if (i >= 0) { id = OAuth1.decode(dec.substring(0, i)); secret = OAuth1.decode(dec.substring(i + 1)); }
            } catch (IllegalArgumentException e) {
                id = null;
            }
        }
        Client c = id == null ? null : clients.get(id);
        if (c == null || !c.secret.equals(secret)) {
            Resp r = oauthError(401, "invalid_client", "Client authentication failed.");
            r.headers().put("WWW-Authenticate", "Basic realm=\"classlink\"");
            return r;
        }
        String grant = form.get("grant_type");
        if (grant != null && !grant.equals("authorization_code")) return oauthError(400, "unsupported_grant_type", "Unsupported grant_type " + grant + ".");
        String value = form.get("code");
        if (value == null || value.isEmpty()) return oauthError(400, "invalid_request", "Missing code.");
        Code code = codes.get(value);
        if (code == null) return oauthError(400, "invalid_grant", "Invalid, expired or used code.");
        if (!code.clientId().equals(c.id)) {
            codes.remove(value, code);
            return oauthError(400, "invalid_grant", "Invalid, expired or used code.");
        }
        if (clock.millis() >= code.expiresAtMillis()) {
            codes.remove(value, code);
            return oauthError(400, "invalid_grant", "Invalid, expired or used code.");
        }
        String redirect = form.get("redirect_uri");
        if (redirect != null && code.redirectUri() != null && !redirect.equals(code.redirectUri()))
            return oauthError(400, "invalid_grant", "redirect_uri does not match the authorization request.");
        RosterUser u = code.tenant().district.userById(code.sourcedId());
        if (!codes.remove(value, code) || u == null) return oauthError(400, "invalid_grant", "Invalid, expired or used code.");
        byte[] b = new byte[23];
        random.nextBytes(b);
        String token = "c1" + HexFormat.of().formatHex(b);
        long now = clock.millis();
        ObjectNode info = info(code.tenant(), u, now);
        sessions.put(token, new Session(c.id, now + tokenLifetime.toMillis(), info));
        if (sessions.size() > 10_000) sessions.values().removeIf(s -> s.expiresAtMillis() <= now);
        ObjectNode n = Tables.F.objectNode();
        n.put("access_token", token).put("token_type", "Bearer").put("response_type", "code");
        n.put("id_token", idToken(c, code, info, now));
        return json(200, n);
    }

    // ---- /v2/my/info -----------------------------------------------------------------------------------------

    /** §3.3 [CL-DOC]: bearer → the user-info object. An unknown or expired token → 401 (body UNCONFIRMED). */
    private Resp info(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        Session s = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? sessions.get(auth.substring(7).trim()) : null;
        if (s == null || clock.millis() >= s.expiresAtMillis()) {
            Resp r = oauthError(401, "invalid_token", s == null ? "Unknown access token." : "The access token expired.");
            r.headers().put("WWW-Authenticate", "Bearer");
            return r;
        }
        return json(200, s.info().deepCopy());
    }

    /** The §3.3 field set, in its order. Role_Level other than Student's 4, Profile/ProfileId values: UNCONFIRMED. */
    private ObjectNode info(Tenant t, RosterUser u, long now) {
        ObjectNode n = Tables.F.objectNode();
        String role = role(u.role());
        String school = "";
        int buildingId = 0;
        if (!u.orgIds().isEmpty()) {
            RosterOrg o = t.district.orgById(u.orgIds().get(0));
            if (o != null) school = o.name();
            buildingId = Math.max(0, Gen.parseOrgId(u.orgIds().get(0)));
        }
        n.put("UserId", userId(t, u.sourcedId()));
        n.put("TenantId", t.id);
        n.put("StateId", STATE_ID);
        n.put("StateName", STATE_NAME);
        n.put("BuildingId", buildingId);
        n.put("AuthenticationType", 2);
        n.put("DisplayName", (u.givenName() + " " + u.familyName()).trim());
        n.put("FirstName", u.givenName());
        n.put("LastName", u.familyName());
        n.put("Email", u.email());
        n.put("LoginId", u.username().isEmpty() ? u.sourcedId() : u.username());
        n.put("ImagePath", "");
        n.put("LanguageId", 1);
        n.put("Language", "en");
        n.put("DefaultTimeFormat", 0);
        n.put("Profile", role + " Profile");
        n.put("ProfileId", 3280 + roleLevel(role));
        n.put("Tenant", t.name());
        n.put("Building", school);
        n.put("Role", role);
        n.put("Role_Level", roleLevel(role));
        n.put("LastAccessTime", Instant.ofEpochMilli(now).truncatedTo(ChronoUnit.MILLIS).toString().replaceFirst("(\\d{2}:\\d{2}:\\d{2})Z$", "$1.000Z"));
        n.put("OrgId", "");
        n.put("SourcedId", t.oneRoster ? u.sourcedId() : "");
        return n;
    }

    /** §3.3: {@code Student | Teacher | Tenant Administrator}; parents as {@code Parent} (UNCONFIRMED). */
    static String role(Role r) {
        return switch (r) {
            case STUDENT -> "Student";
            case TEACHER -> "Teacher";
            case ADMINISTRATOR -> "Tenant Administrator";
            case PARENT, GUARDIAN -> "Parent";
        };
    }

    static int roleLevel(String role) {
        return switch (role) {
            case "Student" -> 4;
            case "Teacher" -> 3;
            case "Tenant Administrator" -> 1;
            default -> 5;
        };
    }

    /** The documented claims (§3.3). Signed HS256 with the client secret here; ClassLink's algorithm is UNCONFIRMED. */
    private String idToken(Client c, Code code, ObjectNode info, long now) {
        long iat = now / 1000;
        ObjectNode claims = Tables.F.objectNode();
        claims.put("iss", root());
        claims.put("sub", Long.toString(info.get("UserId").asLong()));
        claims.put("aud", c.id);
        if (code.nonce() != null) claims.put("nonce", code.nonce());
        claims.put("exp", iat + 86_400);
        claims.put("iat", iat);
        claims.put("auth_time", iat);
        claims.put("login_hint", info.get("LoginId").asText());
        claims.put("email_verified", !info.get("Email").asText().isEmpty());
        claims.put("email", info.get("Email").asText());
        claims.put("name", info.get("DisplayName").asText());
        claims.put("profile", info.get("Role").asText());
        claims.putObject("address").put("locality", info.get("Tenant").asText()).put("region", STATE_NAME);
        claims.put("given_name", info.get("FirstName").asText());
        claims.put("family_name", info.get("LastName").asText());
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String head = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String payload = b64.encodeToString(Tables.M.writeValueAsBytes(claims));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(c.secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sig = mac.doFinal((head + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return head + "." + payload + "." + b64.encodeToString(sig);
        } catch (IOException | NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the picker page -------------------------------------------------------------------------------------

    private Resp picker(Authz a, Map<String, String> p, String message, int status) {
        Tenant view = tenantOrNull(p.get("tenant"));
        if (view == null) view = main;
        String q = p.getOrDefault("q", "").trim();
        StringBuilder b = new StringBuilder();
        b.append("<h1>ClassLink (emulator): sign in</h1>\n");
        b.append("<p>Application <code id=\"client-id\">").append(esc(a.client().id)).append("</code> asks for <code id=\"scope\">")
                .append(esc(a.carry().getOrDefault("scope", ""))).append("</code>, returning to <code id=\"redirect-uri\">")
                .append(esc(a.redirectUri())).append("</code>").append(a.state() == null ? " (no state)" : "").append(".</p>\n");
        b.append("<p>Tenant: <strong id=\"tenant\" data-tenant-id=\"").append(view.id).append("\">").append(esc(view.name()))
                .append("</strong> (TenantId ").append(view.id).append(")");
        for (Tenant t : List.of(main, other)) {
            if (t == view) continue;
            Map<String, String> sw = new LinkedHashMap<>(a.carry());
            sw.put("tenant", Long.toString(t.id));
            b.append(" · <a id=\"tenant-").append(t.id).append("\" data-tenant-id=\"").append(t.id).append("\" href=\"")
                    .append(esc(url("/oauth2/v2/auth", sw))).append("\">switch to ").append(esc(t.name())).append("</a>");
        }
        b.append("</p>\n");
        if (message != null) b.append("<p id=\"pick-error\" class=\"error\">").append(esc(message)).append("</p>\n");
        Map<String, String> withTenant = new LinkedHashMap<>(a.carry());
        withTenant.put("tenant", Long.toString(view.id));
        b.append("<form id=\"search\" method=\"get\" action=\"/oauth2/v2/auth\">\n");
        hidden(b, withTenant);
        b.append("<input id=\"q\" name=\"q\" value=\"").append(esc(q))
                .append("\" placeholder=\"name, email, username or sourcedId\"> <button id=\"search-button\" type=\"submit\">Search</button>\n</form>\n");
        b.append("<form id=\"pick\" method=\"post\" action=\"/oauth2/v2/auth\">\n");
        hidden(b, withTenant);
        List<RosterUser> users = q.isEmpty() ? firstUsers(view.district) : search(view.district, q);
        b.append("<ul id=\"users\">\n");
        for (RosterUser u : users) {
            String sid = esc(u.sourcedId());
            b.append("<li class=\"user\" data-tenant-id=\"").append(view.id).append("\" data-sourced-id=\"").append(sid)
                    .append("\" data-user-id=\"").append(userId(view, u.sourcedId())).append("\" data-role=\"").append(u.role().wire())
                    .append("\"><button type=\"submit\" name=\"user\" value=\"").append(sid).append("\" id=\"pick-").append(view.id)
                    .append('-').append(sid).append("\" data-sourced-id=\"").append(sid).append("\">")
                    .append(esc((u.givenName() + " " + u.familyName()).trim())).append("</button> <span class=\"role\">")
                    .append(role(u.role())).append("</span> <span class=\"email\">").append(esc(u.email()))
                    .append("</span> <code>").append(sid).append("</code>").append(u.enabledUser() ? "" : " (disabled)")
                    .append(u.status().equals("active") ? "" : " (" + esc(u.status()) + ")").append("</li>\n");
        }
        b.append("</ul>\n");
        if (users.isEmpty()) b.append("<p id=\"no-users\">No matching users.</p>\n");
        b.append("</form>\n<form id=\"pick-by-id\" method=\"post\" action=\"/oauth2/v2/auth\">\n");
        hidden(b, withTenant);
        b.append("<label>SourcedId <input id=\"user-id\" name=\"user\"></label> <button id=\"pick-by-id-button\" type=\"submit\">Sign in as this user</button>\n</form>\n");
        b.append("<form id=\"deny\" method=\"post\" action=\"/oauth2/v2/auth\">\n");
        hidden(b, a.carry());
        b.append("<button id=\"deny-button\" type=\"submit\" name=\"deny\" value=\"1\">Deny</button>\n</form>\n");
        return html(status, "Sign in with ClassLink (emulator)", b.toString());
    }

    private static final int[] KINDS = { Gen.STUDENT, Gen.TEACHER, Gen.ADMIN, Gen.PARENT };

    private static List<RosterUser> firstUsers(DistrictImpl d) {
        List<RosterUser> out = new ArrayList<>();
        for (int kind : KINDS) {
            for (int i = 0, n = 0; i < d.size(kind) && n < PER_ROLE; i++) {
                RosterUser u = d.userAt(kind, i);
                if (u != null) { out.add(u); n++; }
            }
        }
        int n = 0;
        for (RosterUser u : d.extras.values()) {
            if (n++ >= PER_ROLE) break;
            out.add(u);
        }
        return out;
    }

    /** Case-insensitive substring of name, email, username or sourcedId; an exact sourcedId comes first. */
    private static List<RosterUser> search(DistrictImpl d, String q) {
        String needle = q.toLowerCase(Locale.ROOT);
        Set<RosterUser> out = new LinkedHashSet<>();
        RosterUser exact = d.userById(q);
        if (exact != null) out.add(exact);
        for (RosterUser u : d.extras.values()) {
            if (out.size() >= MAX_RESULTS) break;
            if (matches(u, needle)) out.add(u);
        }
        for (int kind : KINDS) {
            for (int i = 0; i < Math.min(d.size(kind), MAX_SCAN) && out.size() < MAX_RESULTS; i++) {
                RosterUser u = d.userAt(kind, i);
                if (u != null && matches(u, needle)) out.add(u);
            }
        }
        return new ArrayList<>(out);
    }

    private static boolean matches(RosterUser u, String needle) {
        return (u.givenName() + " " + u.familyName() + " " + u.email() + " " + u.username() + " " + u.sourcedId())
                .toLowerCase(Locale.ROOT).contains(needle);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private String newCode(String clientId, Tenant t, String sourcedId, String redirectUri, String nonce) {
        byte[] b = new byte[23];
        random.nextBytes(b);
        String code = "c1" + HexFormat.of().formatHex(b);
        long now = clock.millis();
        codes.put(code, new Code(clientId, t, sourcedId, redirectUri, nonce, now + codeLifetime.toMillis()));
        if (codes.size() > 10_000) codes.values().removeIf(c -> c.expiresAtMillis() <= now);
        return code;
    }

    /** Query parameters, overridden by an urlencoded body (POST); first value wins within each. */
    private static Map<String, String> params(HttpExchange ex, byte[] body) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String[] kv : OAuth1.parseQuery(ex.getRequestURI().getRawQuery())) p.putIfAbsent(kv[0], kv[1]);
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        if (body != null && body.length > 0 && (ct == null || ct.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded"))) {
            Map<String, String> form = new LinkedHashMap<>();
            for (String[] kv : OAuth1.parseQuery(new String(body, StandardCharsets.UTF_8))) form.putIfAbsent(kv[0], kv[1]);
            p.putAll(form);
        }
        return p;
    }

    private static List<String[]> errorParams(String error, String state) {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] { "error", error });
        if (state != null) out.add(new String[] { "state", state });
        return out;
    }

    record Resp(int status, String contentType, byte[] body, Map<String, String> headers) {}

    static Resp redirect(String uri, List<String[]> params) {
        StringBuilder sb = new StringBuilder(uri);
        String fragment = "";
        int hash = uri.indexOf('#');
        if (hash >= 0) { fragment = sb.substring(hash); sb.setLength(hash); }
        String sep = sb.indexOf("?") < 0 ? "?" : sb.charAt(sb.length() - 1) == '?' || sb.charAt(sb.length() - 1) == '&' ? "" : "&";
        for (String[] kv : params) { sb.append(sep).append(enc(kv[0])).append('=').append(enc(kv[1])); sep = "&"; }
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Location", sb.append(fragment).toString());
        return new Resp(302, null, new byte[0], h);
    }

    private static String url(String path, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(path);
        char sep = '?';
        for (Map.Entry<String, String> e : params.entrySet()) { sb.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue())); sep = '&'; }
        return sb.toString();
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"); }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static void hidden(StringBuilder b, Map<String, String> fields) {
        fields.forEach((k, v) -> b.append("<input type=\"hidden\" name=\"").append(esc(k)).append("\" value=\"").append(esc(v)).append("\">\n"));
    }

    static Resp json(int status, ObjectNode n) {
        try {
            return new Resp(status, "application/json; charset=utf-8", Tables.M.writeValueAsBytes(n), new LinkedHashMap<>());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Resp oauthError(int status, String error, String description) {
        return json(status, Tables.F.objectNode().put("error", error).put("error_description", description));
    }

    private static Resp notAllowed(String allow) {
        Resp r = oauthError(405, "invalid_request", "Method not allowed.");
        r.headers().put("Allow", allow);
        return r;
    }

    private static Resp errorPage(int status, String error, String description) {
        return html(status, "ClassLink (emulator): error", "<h1>ClassLink (emulator)</h1>\n<p id=\"error\" data-error=\"" + esc(error)
                + "\">" + esc(description) + "</p>\n");
    }

    private static Resp html(int status, String title, String body) {
        String page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + esc(title)
                + "</title>\n<style>body{font-family:sans-serif;margin:2em}li{margin:.2em 0}.error{color:#b00}code{color:#555}</style>\n</head>\n<body>\n"
                + body + "</body>\n</html>\n";
        return new Resp(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
    }

    private static void send(HttpExchange ex, Resp r) throws IOException {
        var h = ex.getResponseHeaders();
        if (r.contentType() != null) h.set("Content-Type", r.contentType());
        h.set("Cache-Control", "no-store");
        r.headers().forEach(h::set);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(r.status(), head || r.body().length == 0 ? -1 : r.body().length);
        if (!head && r.body().length > 0) try (OutputStream os = ex.getResponseBody()) { os.write(r.body()); }
        ex.close();
    }
}
