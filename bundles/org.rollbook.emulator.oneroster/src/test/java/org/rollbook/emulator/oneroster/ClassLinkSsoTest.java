package org.rollbook.emulator.oneroster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ClassLink SSO over real HTTP: auth → pick → code → token → /v2/my/info, and the errors (reference §3.3). */
class ClassLinkSsoTest {
    static final String CB = "https://library.example/sso/classlink";
    static final String CB2 = "https://library.example/other";

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

        void advance(Duration d) { millis.addAndGet(d.toMillis()); }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override public Clock withZone(ZoneId zone) { return this; }

        @Override public long millis() { return millis.get(); }

        @Override public Instant instant() { return Instant.ofEpochMilli(millis.get()); }
    }

    TestClock clock;
    OneRosterEmulator e;
    ClassLinkSso sso;

    @BeforeEach
    void start() throws Exception {
        clock = new TestClock();
        e = OneRosterEmulator.builder().seed(9).district(DistrictSpec.ofStudents(80)).clock(clock).redirectUri(CB, CB2).build().start();
        sso = e.sso();
    }

    @AfterEach
    void stop() { e.close(); }

    // ---- a tiny browser -------------------------------------------------------------------------------------

    HttpResponse<String> get(String url) throws Exception {
        return Http.CLIENT.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(URI uri, Map<String, String> form, String authorization) throws Exception {
        StringBuilder sb = new StringBuilder();
        form.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(Http.q(k)).append('=').append(Http.q(v)));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(sb.toString()));
        if (authorization != null) b.header("Authorization", authorization);
        return Http.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, String> hidden(String html, String formId) {
        int at = html.indexOf("<form id=\"" + formId + "\"");
        assertTrue(at >= 0, formId);
        String f = html.substring(at, html.indexOf("</form>", at));
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">").matcher(f);
        while (m.find()) out.put(unesc(m.group(1)), unesc(m.group(2)));
        return out;
    }

    static String unesc(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    static Map<String, String> query(String location) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = URI.create(location).getRawQuery();
        if (q != null) for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static String location(HttpResponse<String> r) {
        assertEquals(302, r.statusCode(), r.body());
        return r.headers().firstValue("Location").orElseThrow();
    }

    String authUrl(String redirect, String state) {
        return sso.authorizeUrl() + "?scope=profile,oneroster&redirect_uri=" + Http.q(redirect) + "&client_id=" + Http.q(sso.clientId())
                + "&response_type=code" + (state == null ? "" : "&state=" + Http.q(state));
    }

    /** Clicks the button of (tenant, sourcedId) on a picker page. */
    HttpResponse<String> pick(String html, long tenant, String sourcedId) throws Exception {
        assertTrue(html.contains("id=\"pick-" + tenant + "-" + sourcedId + "\""), "button for " + sourcedId);
        Map<String, String> f = hidden(html, "pick");
        f.put("user", sourcedId);
        return post(sso.authorizeUrl(), f, null);
    }

    String login(String sourcedId, String state) throws Exception {
        HttpResponse<String> page = get(authUrl(CB, state));
        assertEquals(200, page.statusCode());
        return query(location(pick(page.body(), sso.tenantId(), sourcedId))).get("code");
    }

    HttpResponse<String> token(String clientId, String secret, String code, String redirect) throws Exception {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("code", code);
        f.put("client_id", clientId);
        f.put("client_secret", secret);
        if (redirect != null) f.put("redirect_uri", redirect);
        return post(sso.tokenUrl(), f, null);
    }

    HttpResponse<String> token(String code) throws Exception { return token(sso.clientId(), sso.clientSecret(), code, null); }

    JsonNode info(String accessToken) throws Exception {
        HttpResponse<String> r = Http.bearer(sso.infoUrl(), accessToken);
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r);
    }

    // ---- tests ----------------------------------------------------------------------------------------------

    @Test
    void happyPathFromPickerToMyInfo() throws Exception {
        String teacher = e.district().userId(Role.TEACHER, 0);
        HttpResponse<String> page = get(authUrl(CB, "f3dhsde"));
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        for (Role r : new Role[] { Role.STUDENT, Role.TEACHER, Role.ADMINISTRATOR, Role.PARENT })
            assertTrue(page.body().contains("data-sourced-id=\"" + e.district().userId(r, 0) + "\""), r.toString());

        String loc = location(pick(page.body(), sso.tenantId(), teacher));
        assertTrue(loc.startsWith(CB + "?"), loc);
        Map<String, String> q = query(loc);
        assertEquals("code", q.get("response_type"), "ClassLink adds response_type=code");
        assertEquals("f3dhsde", q.get("state"));
        assertNotNull(q.get("code"));

        HttpResponse<String> t = token(q.get("code"));
        assertEquals(200, t.statusCode(), t.body());
        JsonNode tok = Http.json(t);
        assertEquals("Bearer", tok.path("token_type").asText());
        assertEquals("code", tok.path("response_type").asText());
        assertFalse(tok.has("expires_in"), "not in ClassLink's documented response");
        String[] jwt = tok.path("id_token").asText().split("\\.");
        assertEquals(3, jwt.length);
        JsonNode claims = Http.M.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertEquals(sso.clientId(), claims.path("aud").asText());
        assertEquals("Teacher", claims.path("profile").asText());

        RosterUser u = e.district().user(teacher).orElseThrow();
        JsonNode me = info(tok.path("access_token").asText());
        assertEquals(sso.tenantId(), me.path("TenantId").asLong());
        assertTrue(me.path("TenantId").isIntegralNumber(), "TenantId is an integer");
        assertTrue(me.path("UserId").isIntegralNumber());
        assertEquals(sso.userId(sso.tenantId(), teacher), me.path("UserId").asLong());
        assertEquals(Long.toString(me.path("UserId").asLong()), claims.path("sub").asText());
        assertEquals(teacher, me.path("SourcedId").asText());
        assertEquals(u.givenName(), me.path("FirstName").asText());
        assertEquals(u.familyName(), me.path("LastName").asText());
        assertEquals(u.email(), me.path("Email").asText());
        assertEquals("Teacher", me.path("Role").asText());
        assertEquals(sso.tenantName(), me.path("Tenant").asText());
        for (String f : new String[] { "StateId", "StateName", "BuildingId", "AuthenticationType", "DisplayName", "LoginId", "ImagePath",
                "LanguageId", "Language", "DefaultTimeFormat", "Profile", "ProfileId", "Building", "Role_Level", "LastAccessTime", "OrgId" })
            assertTrue(me.has(f), f);

        assertEquals(401, Http.bearer(sso.infoUrl(), "nope").statusCode());
        assertEquals(401, Http.CLIENT.send(HttpRequest.newBuilder(sso.infoUrl()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void stateIsEchoedExactlyAndOmittedWhenAbsent() throws Exception {
        String student = e.district().userId(Role.STUDENT, 5);
        String state = "x y&z=1/ü+%41";
        assertEquals(state, query(location(pick(get(authUrl(CB, state)).body(), sso.tenantId(), student))).get("state"));
        Map<String, String> none = query(location(pick(get(authUrl(CB, null)).body(), sso.tenantId(), student)));
        assertFalse(none.containsKey("state"));
        assertTrue(none.containsKey("code"));
    }

    @Test
    void aReplayedCodeIsRefused() throws Exception {
        String code = login(e.district().userId(Role.STUDENT, 1), "s");
        assertEquals(200, token(code).statusCode());
        HttpResponse<String> again = token(code);
        assertEquals(400, again.statusCode());
        assertEquals("invalid_grant", Http.json(again).path("error").asText());
    }

    @Test
    void aRedirectUriSentAtTheTokenStepMustMatch() throws Exception {
        String code = login(e.district().userId(Role.STUDENT, 1), "s");
        HttpResponse<String> wrong = token(sso.clientId(), sso.clientSecret(), code, CB2);
        assertEquals(400, wrong.statusCode());
        assertEquals("invalid_grant", Http.json(wrong).path("error").asText());
        assertEquals(200, token(sso.clientId(), sso.clientSecret(), code, CB).statusCode());
        // grant_type is optional (ClassLink's docs send none); if sent it must be authorization_code
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "client_credentials");
        f.put("code", login(e.district().userId(Role.STUDENT, 1), "s"));
        f.put("client_id", sso.clientId());
        f.put("client_secret", sso.clientSecret());
        assertEquals("unsupported_grant_type", Http.json(post(sso.tokenUrl(), f, null)).path("error").asText());
        f.put("grant_type", "authorization_code");
        assertEquals(200, post(sso.tokenUrl(), f, null).statusCode());
        // HTTP Basic client authentication works too
        String basic = "Basic " + Base64.getEncoder().encodeToString((sso.clientId() + ":" + sso.clientSecret()).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, post(sso.tokenUrl(), Map.of("code", login(e.district().userId(Role.STUDENT, 2), null)), basic).statusCode());
    }

    @Test
    void authorizeErrors() throws Exception {
        HttpResponse<String> unknown = get(sso.authorizeUrl() + "?scope=profile&redirect_uri=" + Http.q(CB) + "&client_id=nope&response_type=code&state=s");
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.headers().firstValue("Location").isEmpty());
        assertTrue(unknown.body().contains("data-error=\"invalid_client\""));
        for (String bad : new String[] { "https://evil.example/cb", CB + "/" }) {
            HttpResponse<String> r = get(authUrl(bad, "s"));
            assertEquals(400, r.statusCode(), bad);
            assertTrue(r.headers().firstValue("Location").isEmpty());
            assertTrue(r.body().contains("data-error=\"invalid_redirect_uri\""));
        }
        HttpResponse<String> noRedirect = get(sso.authorizeUrl() + "?scope=profile&client_id=" + Http.q(sso.clientId()) + "&response_type=code");
        assertEquals(400, noRedirect.statusCode(), "redirect_uri is required");
        Map<String, String> q = query(location(get(authUrl(CB, "s").replace("response_type=code", "response_type=token"))));
        assertEquals("unsupported_response_type", q.get("error"));
        assertEquals("s", q.get("state"));
        assertNull(q.get("code"));
        assertEquals("invalid_scope", query(location(get(authUrl(CB, "s").replace("profile,oneroster", "roster")))).get("error"));
        // the user denies consent (§3.3: error=access_denied)
        Map<String, String> deny = hidden(get(authUrl(CB, "s5")).body(), "deny");
        deny.put("deny", "1");
        Map<String, String> d = query(location(post(sso.authorizeUrl(), deny, null)));
        assertEquals("access_denied", d.get("error"));
        assertEquals("s5", d.get("state"));
    }

    @Test
    void codesBelongToTheirClient() throws Exception {
        sso.addClient("c1other", "other-secret", "https://other.example/cb");
        String code = login(e.district().userId(Role.STUDENT, 3), "s");
        HttpResponse<String> badSecret = token(sso.clientId(), "wrong", code, null);
        assertEquals(401, badSecret.statusCode());
        assertEquals("invalid_client", Http.json(badSecret).path("error").asText());
        HttpResponse<String> other = token("c1other", "other-secret", code, null);
        assertEquals(400, other.statusCode());
        assertEquals("invalid_grant", Http.json(other).path("error").asText());
        assertEquals(400, token(code).statusCode(), "burnt by the wrong client");
    }

    @Test
    void codesAndTokensExpire() throws Exception {
        assertEquals(Duration.ofMinutes(5), sso.codeLifetime(), "§3.3: codes expire after 5 minutes");
        String code = login(e.district().userId(Role.STUDENT, 3), "s");
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        HttpResponse<String> late = token(code);
        assertEquals(400, late.statusCode());
        assertEquals("invalid_grant", Http.json(late).path("error").asText());

        String access = Http.json(token(login(e.district().userId(Role.STUDENT, 3), "s"))).path("access_token").asText();
        clock.advance(Duration.ofHours(23));
        info(access);
        clock.advance(Duration.ofHours(1));
        assertEquals(401, Http.bearer(sso.infoUrl(), access).statusCode(), "access tokens last 24 h");
    }

    @Test
    void launchPadLaunchCarriesNoState() throws Exception {
        String student = e.district().userId(Role.STUDENT, 7);
        String loc = location(get(sso.launchUrl(sso.tenantId(), student).toString()));
        assertTrue(loc.startsWith(CB + "?"), "first registered redirect URI: " + loc);
        Map<String, String> q = query(loc);
        assertFalse(q.containsKey("state"));
        assertEquals(student, info(Http.json(token(q.get("code"))).path("access_token").asText()).path("SourcedId").asText());

        HttpResponse<String> pad = get(sso.launchpadUrl() + "/emulator/launchpad");
        assertEquals(200, pad.statusCode());
        Map<String, String> l = query(location(pick(pad.body(), sso.tenantId(), student)));
        assertFalse(l.containsKey("state"));
        assertEquals(200, token(l.get("code")).statusCode());
        assertEquals(404, get(sso.launchpadUrl() + "/emulator/launchpad/launch?user=nobody").statusCode());
    }

    @Test
    void aUserOfAnotherTenantWithTheSameSourcedId() throws Exception {
        String sid = e.district().userId(Role.STUDENT, 0);
        assertEquals(sid, sso.otherTenant().userId(Role.STUDENT, 0), "sourcedIds are only unique within a tenant");
        assertNotEquals(sso.tenantId(), sso.otherTenantId());

        HttpResponse<String> page = get(authUrl(CB, "s"));
        assertTrue(page.body().contains("id=\"tenant-" + sso.otherTenantId() + "\""));
        HttpResponse<String> otherPage = get(authUrl(CB, "s") + "&tenant=" + sso.otherTenantId());
        String code = query(location(pick(otherPage.body(), sso.otherTenantId(), sid))).get("code");
        JsonNode me = info(Http.json(token(code)).path("access_token").asText());
        assertEquals(sso.otherTenantId(), me.path("TenantId").asLong());
        assertEquals(sid, me.path("SourcedId").asText());
        assertNotEquals(sso.userId(sso.tenantId(), sid), me.path("UserId").asLong());
        assertEquals(sso.otherTenant().user(sid).orElseThrow().givenName(), me.path("FirstName").asText());

        // a user added to the other tenant, and a tenant without OneRoster (empty SourcedId)
        RosterUser added = sso.otherTenant().addUser(RosterUser.builder(Role.TEACHER).sourcedId("T|9").givenName("Ada").familyName("Other"));
        sso.oneRosterEnabled(sso.otherTenantId(), false);
        JsonNode ada = info(Http.json(token(sso.issueCode(sso.otherTenantId(), added.sourcedId(), null))).path("access_token").asText());
        assertEquals("", ada.path("SourcedId").asText());
        assertEquals("Ada", ada.path("FirstName").asText());
        assertEquals(sso.otherTenantId(), ada.path("TenantId").asLong());
    }
}
