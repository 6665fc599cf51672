package org.rollbook.emulator.clever;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Patron SSO over real HTTP: authorize → pick → code → token → /me, and the errors of reference §3.2. */
class SsoTest {
    static final String CB = "https://app.example/auth/clever";
    static final String CB2 = "https://app.example/other-callback";

    ManualClock clock;
    CleverEmulator emu;

    @BeforeEach
    void start() throws Exception {
        clock = ManualClock.startingNow();
        emu = CleverEmulator.builder().seed(5).district(DistrictSpec.ofStudents(60)).clock(clock)
                .redirectUri(CB, CB2).build().start();
    }

    @AfterEach
    void stop() {
        emu.close();
    }

    // ---- helpers: a tiny "browser" ------------------------------------------------------------------------

    private HttpResponse<String> get(String pathOrUrl) {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : emu.baseUrl() + pathOrUrl;
        return Http.send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    private HttpResponse<String> postForm(String path, Map<String, String> form) {
        return Http.send(HttpRequest.newBuilder(URI.create(emu.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))).build());
    }

    private static String form(Map<String, String> form) {
        StringBuilder sb = new StringBuilder();
        form.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return sb.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The hidden inputs of the form with this id, as a browser would submit them. */
    private static Map<String, String> hiddenFields(String html, String formId) {
        int at = html.indexOf("<form id=\"" + formId + "\"");
        assertTrue(at >= 0, "form " + formId + " in " + html);
        String f = html.substring(at, html.indexOf("</form>", at));
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">").matcher(f);
        while (m.find()) {
            out.put(unesc(m.group(1)), unesc(m.group(2)));
        }
        return out;
    }

    private static String unesc(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    /** Clicks the user's button on the picker page: POSTs form "pick" with user=id. */
    private HttpResponse<String> pick(String pageHtml, String userId) {
        assertTrue(pageHtml.contains("id=\"pick-" + userId + "\""), "button for " + userId);
        Map<String, String> f = hiddenFields(pageHtml, "pick");
        f.put("user", userId);
        return postForm("/oauth/authorize", f);
    }

    private static Map<String, String> query(String location) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = URI.create(location).getRawQuery();
        if (q != null) {
            for (String pair : q.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String location(HttpResponse<String> r) {
        assertEquals(302, r.statusCode(), r.body());
        return r.headers().firstValue("Location").orElseThrow();
    }

    private HttpResponse<String> token(String clientId, String secret, String code, String redirectUri) {
        String body = "{\"code\":\"" + code + "\",\"grant_type\":\"authorization_code\""
                + (redirectUri == null ? "" : ",\"redirect_uri\":\"" + redirectUri + "\"") + "}";
        return Http.send(HttpRequest.newBuilder(URI.create(emu.baseUrl() + "/oauth/tokens"))
                .header("Authorization", Http.basic(clientId, secret)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> token(String code, String redirectUri) {
        return token(emu.clientId(), emu.clientSecret(), code, redirectUri);
    }

    private String authorizeQuery(String redirectUri, String state) {
        return "/oauth/authorize?response_type=code&client_id=" + enc(emu.clientId()) + "&redirect_uri="
                + enc(redirectUri) + (state == null ? "" : "&state=" + enc(state));
    }

    /** authorize → picker → pick → the code from the redirect. */
    private String login(String userId, String state) {
        HttpResponse<String> page = get(authorizeQuery(CB, state));
        assertEquals(200, page.statusCode());
        return query(location(pick(page.body(), userId))).get("code");
    }

    // ---- tests --------------------------------------------------------------------------------------------

    @Test
    void happyPathFromPickerToMe() {
        String teacher = emu.district().userIds("teacher").get(0);
        HttpResponse<String> page = get(authorizeQuery(CB, "xyz"));
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
        for (String role : new String[] {"student", "teacher", "staff", "district_admin"}) {
            String first = emu.district().userIds(role).get(0);
            assertTrue(page.body().contains("data-user-id=\"" + first + "\" data-role=\""), role);
        }

        String loc = location(pick(page.body(), teacher));
        assertTrue(loc.startsWith(CB + "?"), loc);
        Map<String, String> q = query(loc);
        assertEquals("xyz", q.get("state"));
        String code = q.get("code");
        assertNotNull(code);

        HttpResponse<String> t = token(code, CB);
        assertEquals(200, t.statusCode(), t.body());
        JsonNode tok = Http.json(t);
        assertEquals("bearer", tok.path("token_type").asText());
        String access = tok.path("access_token").asText();
        assertNotEquals(emu.districtToken(), access);

        JsonNode me = Http.json(Http.get(emu, "/v3.0/me", access));
        assertEquals("user", me.path("type").asText());
        assertEquals(teacher, me.path("data").path("id").asText());
        assertEquals(emu.districtId(), me.path("data").path("district").asText());
        assertEquals("teacher", me.path("data").path("type").asText());
        assertEquals("/v3.0/users/" + teacher, Http.link(me, "canonical"));
        HttpResponse<String> user = Http.get(emu, "/v3.0/users/" + teacher, access);
        assertEquals(200, user.statusCode());
        assertTrue(Http.json(user).path("data").path("roles").has("teacher"));
        assertEquals(emu.clientId(), Http.json(Http.get(emu, "/oauth/tokeninfo", access)).path("client_id").asText());
        assertEquals(404, Http.get(emu, "/v3.0/users?role=student", access).statusCode(), "SSO tokens cannot list");
    }

    @Test
    void stateIsEchoedExactlyAndOmittedWhenAbsent() {
        String student = emu.district().userIds("student").get(3);
        String state = "a b&c=d/é+%25?#x";
        HttpResponse<String> page = get(authorizeQuery(CB, state));
        String loc = location(pick(page.body(), student));
        assertEquals(state, query(loc).get("state"));

        String noState = location(pick(get(authorizeQuery(CB, null)).body(), student));
        assertFalse(query(noState).containsKey("state"), noState);
        assertTrue(query(noState).containsKey("code"));
    }

    @Test
    void aTestCanPostTheAuthorizeParametersDirectly() {
        String student = emu.district().userIds("student").get(0);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("response_type", "code");
        f.put("client_id", emu.clientId());
        f.put("redirect_uri", CB2);
        f.put("state", "s1");
        f.put("user", student);
        Map<String, String> q = query(location(postForm("/oauth/authorize", f)));
        assertEquals("s1", q.get("state"));
        assertEquals(200, token(q.get("code"), CB2).statusCode());

        // the search box finds a user by id, and the id form logs in any user
        String html = get(authorizeQuery(CB, "s") + "&q=" + student).body();
        assertTrue(html.contains("id=\"pick-" + student + "\""));
        Map<String, String> byId = hiddenFields(html, "pick-by-id");
        byId.put("user", student);
        assertEquals("s", query(location(postForm("/oauth/authorize", byId))).get("state"));
        // an unknown id re-renders the picker with an error, no redirect
        byId.put("user", "000000000000000000000000");
        HttpResponse<String> bad = postForm("/oauth/authorize", byId);
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("id=\"pick-error\""));
    }

    @Test
    void aReplayedCodeIsRefused() {
        String code = login(emu.district().userIds("student").get(1), "s");
        assertEquals(200, token(code, CB).statusCode());
        HttpResponse<String> again = token(code, CB);
        assertEquals(400, again.statusCode());
        assertEquals("invalid_grant", Http.json(again).path("error").asText());
        assertEquals("Invalid grant: invalid code", Http.json(again).path("error_description").asText());
    }

    @Test
    void theRedirectUriAtTheTokenStepMustMatch() {
        String code = login(emu.district().userIds("student").get(1), "s");
        HttpResponse<String> other = token(code, CB2); // registered, but not the one used at authorize
        assertEquals(400, other.statusCode());
        assertEquals("invalid_grant", Http.json(other).path("error").asText());
        HttpResponse<String> missing = token(code, null);
        assertEquals(400, missing.statusCode());
        assertEquals("invalid_grant", Http.json(missing).path("error").asText());
        assertEquals(200, token(code, CB).statusCode(), "a mismatch does not burn the code");
    }

    @Test
    void authorizeErrors() {
        // unknown client: an error page, never a redirect
        HttpResponse<String> unknown = get("/oauth/authorize?response_type=code&client_id=nope&redirect_uri="
                + enc(CB) + "&state=s");
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.headers().firstValue("Location").isEmpty());
        assertTrue(unknown.body().contains("data-error=\"invalid_client\""));
        // unregistered redirect URI (exact match: a trailing slash is another URI)
        for (String bad : new String[] {"https://evil.example/cb", CB + "/", CB + "?x=1"}) {
            HttpResponse<String> r = get(authorizeQuery(bad, "s"));
            assertEquals(400, r.statusCode(), bad);
            assertTrue(r.headers().firstValue("Location").isEmpty(), bad);
            assertTrue(r.body().contains("data-error=\"invalid_redirect_uri\""), bad);
        }
        // POSTing the picker with a forged redirect URI is refused the same way
        Map<String, String> f = new LinkedHashMap<>();
        f.put("response_type", "code");
        f.put("client_id", emu.clientId());
        f.put("redirect_uri", "https://evil.example/cb");
        f.put("user", emu.district().userIds("student").get(0));
        assertEquals(400, postForm("/oauth/authorize", f).statusCode());
        // a valid client and redirect: other errors go back to the app
        Map<String, String> q = query(location(get("/oauth/authorize?response_type=token&client_id="
                + enc(emu.clientId()) + "&redirect_uri=" + enc(CB) + "&state=s9")));
        assertEquals("unsupported_response_type", q.get("error"));
        assertEquals("s9", q.get("state"));
        assertNull(q.get("code"));
        // the user cancels
        HttpResponse<String> page = get(authorizeQuery(CB, "s7"));
        Map<String, String> deny = hiddenFields(page.body(), "deny");
        deny.put("deny", "1");
        Map<String, String> d = query(location(postForm("/oauth/authorize", deny)));
        assertEquals("access_denied", d.get("error"));
        assertEquals("s7", d.get("state"));
    }

    @Test
    void codesBelongToTheirClient() {
        emu.sso().addClient("other-app", "other-secret", "https://other.example/cb");
        String code = login(emu.district().userIds("student").get(2), "s");
        HttpResponse<String> badSecret = token(emu.clientId(), "wrong", code, CB);
        assertEquals(401, badSecret.statusCode());
        assertEquals("invalid_client", Http.json(badSecret).path("error").asText());
        HttpResponse<String> wrongClient = token("other-app", "other-secret", code, CB);
        assertEquals(400, wrongClient.statusCode());
        assertEquals("invalid_grant", Http.json(wrongClient).path("error").asText());
        assertEquals(400, token(code, CB).statusCode(), "a code presented by another client is burnt");
    }

    @Test
    void codesExpire() {
        emu.sso().codeLifetime(Duration.ofMinutes(1));
        String code = login(emu.district().userIds("student").get(2), "s");
        clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> late = token(code, CB);
        assertEquals(400, late.statusCode());
        assertEquals("invalid_grant", Http.json(late).path("error").asText());
        String fresh = login(emu.district().userIds("student").get(2), "s");
        clock.advance(Duration.ofSeconds(59));
        assertEquals(200, token(fresh, CB).statusCode());
    }

    @Test
    void portalLaunchAndInstantLoginCarryNoState() {
        String student = emu.district().userIds("student").get(4);
        String loc = location(get(emu.sso().portalLaunchUrl(student).toString()));
        assertTrue(loc.startsWith(CB + "?"), "the primary redirect URI: " + loc);
        Map<String, String> q = query(loc);
        assertFalse(q.containsKey("state"));
        String access = Http.json(token(q.get("code"), CB)).path("access_token").asText();
        assertEquals(student, Http.json(Http.get(emu, "/v3.0/me", access)).path("data").path("id").asText());

        HttpResponse<String> page = get(emu.sso().instantLoginUrl().toString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("data-district-id=\"" + emu.districtId() + "\""));
        Map<String, String> il = query(location(pick(page.body(), student)));
        assertFalse(il.containsKey("state"));
        assertEquals(200, token(il.get("code"), CB).statusCode());

        assertEquals(400, get("/oauth/instant-login?client_id=nope&district_id=" + emu.districtId()).statusCode());
        assertEquals(404, get("/emulator/portal/launch?user=000000000000000000000000").statusCode());
    }

    @Test
    void aUserOfAnotherDistrictCanLogIn() {
        District other = emu.sso().otherDistrict();
        assertNotEquals(emu.districtId(), other.id());
        String foreign = other.userIds("student").get(0);

        HttpResponse<String> page = get(authorizeQuery(CB, "s"));
        assertTrue(page.body().contains("id=\"district-" + other.id() + "\""), "a link to the other district");
        HttpResponse<String> otherPage = get(authorizeQuery(CB, "s") + "&district=" + other.id());
        String code = query(location(pick(otherPage.body(), foreign))).get("code");
        String access = Http.json(token(code, CB)).path("access_token").asText();

        JsonNode me = Http.json(Http.get(emu, "/v3.0/me", access));
        assertEquals(foreign, me.path("data").path("id").asText());
        assertEquals(other.id(), me.path("data").path("district").asText());
        assertEquals("student", me.path("data").path("type").asText());
        assertEquals(200, Http.get(emu, "/v3.0/users/" + foreign, access).statusCode());
        assertEquals(200, Http.get(emu, "/v3.0/districts/" + other.id(), access).statusCode());
        assertEquals(404, Http.get(emu, "/v3.0/districts/" + emu.districtId(), access).statusCode());
        assertEquals(404, Http.get(emu, "/v3.0/users/" + foreign).statusCode(), "not in the app's district");

        // district_id pins the district: a user of another one cannot be picked there
        HttpResponse<String> pinned = get(authorizeQuery(CB, "s") + "&district_id=" + emu.districtId());
        assertFalse(pinned.body().contains("id=\"district-" + other.id() + "\""));
        Map<String, String> f = hiddenFields(pinned.body(), "pick");
        f.put("user", foreign);
        assertEquals(400, postForm("/oauth/authorize", f).statusCode());
        assertEquals(400, get(authorizeQuery(CB, "s") + "&district_id=000000000000000000000000").statusCode());

        // and a user added to the other district can log in as well
        String added = other.addTeacher("Ada", "Other", other.schools().get(0).get("id").toString());
        assertEquals(200, token(emu.sso().issueCode(added, CB), CB).statusCode());
    }
}
