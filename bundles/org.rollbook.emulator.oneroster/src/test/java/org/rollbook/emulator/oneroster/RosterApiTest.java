package org.rollbook.emulator.oneroster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class RosterApiTest {

    static OneRosterEmulator e;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        e = OneRosterEmulator.builder().seed(42).district(DistrictSpec.DEMO).build().start();
        token = Http.token(e);
    }

    @AfterAll
    static void stop() { e.close(); }

    static URI u(String pathAndQuery) { return URI.create(e.baseUrl() + pathAndQuery); }

    static HttpResponse<String> get(String pathAndQuery) throws Exception { return Http.bearer(u(pathAndQuery), token); }

    static JsonNode getJson(String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(pathAndQuery);
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r);
    }

    static String filter(String f) { return "filter=" + Http.q(f); }

    // ------------------------------------------------------------------ auth

    @Test
    void baseUrlIsTenantScopedV1p1() {
        assertEquals("http://127.0.0.1:" + e.port() + "/demo-ca-v2/ims/oneroster/v1p1", e.baseUrl().toString());
    }

    @Test
    void oauth1SignedRequestsInBothEncodingsAreAccepted() throws Exception {
        HttpResponse<String> r = Http.signed(e, u("/users?limit=5&offset=0&" + filter("dateLastModified>'2024-01-01T00:00:00.000Z' AND status='active'")), false);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(5, Http.json(r).get("users").size());
        HttpResponse<String> j = Http.signed(e, u("/users?" + filter("familyName~'smi'")), true);
        assertEquals(200, j.statusCode(), j.body());
        HttpResponse<String> p = Http.signed(e, u("/users?" + filter("familyName~'smi'") + "&fields=sourcedId%2CfamilyName"), false);
        assertEquals(200, p.statusCode(), p.body());
    }

    @Test
    void badSignatureIs401WithImsxBody() throws Exception {
        URI uri = u("/users?limit=1");
        String h = TestSigner.header(uri, e.consumerKey(), "wrong-secret", System.currentTimeMillis() / 1000, Http.nonce(), false);
        HttpResponse<String> r = Http.CLIENT.send(java.net.http.HttpRequest.newBuilder(uri).header("Authorization", h).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode());
        JsonNode n = Http.json(r);
        assertEquals("failure", n.get("imsx_codeMajor").asText());
        assertEquals("error", n.get("imsx_severity").asText());
        assertEquals("unauthorized", Http.minor(n));
        assertEquals("TargetEndSystem", n.at("/imsx_CodeMinor/imsx_codeMinorField/0/imsx_codeMinorFieldName").asText());
        assertTrue(n.get("imsx_description").asText().contains("signature"));
        HttpResponse<String> none = Http.CLIENT.send(java.net.http.HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, none.statusCode());
    }

    @Test
    void replayedNonceAndStaleTimestampAreRejected() throws Exception {
        URI uri = u("/orgs");
        String h = TestSigner.header(uri, e.consumerKey(), e.consumerSecret(), System.currentTimeMillis() / 1000, Http.nonce(), false);
        var req = java.net.http.HttpRequest.newBuilder(uri).header("Authorization", h).build();
        assertEquals(200, Http.CLIENT.send(req, HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(401, Http.CLIENT.send(req, HttpResponse.BodyHandlers.ofString()).statusCode());
        String old = TestSigner.header(uri, e.consumerKey(), e.consumerSecret(), System.currentTimeMillis() / 1000 - 3600, Http.nonce(), false);
        assertEquals(401, Http.CLIENT.send(java.net.http.HttpRequest.newBuilder(uri).header("Authorization", old).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void oauth2ClientCredentials() throws Exception {
        var bad = Http.CLIENT.send(java.net.http.HttpRequest.newBuilder(e.tokenUrl())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + e.clientId() + "&client_secret=nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, bad.statusCode());
        assertEquals("invalid_client", Http.json(bad).get("error").asText());
        var ok = Http.CLIENT.send(java.net.http.HttpRequest.newBuilder(e.tokenUrl())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + e.clientId() + "&client_secret=" + e.clientSecret())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode());
        JsonNode t = Http.json(ok);
        assertEquals("bearer", t.get("token_type").asText());
        assertEquals(3600, t.get("expires_in").asInt());
        assertEquals(200, Http.bearer(u("/users?limit=1"), t.get("access_token").asText()).statusCode());
        assertEquals(401, Http.bearer(u("/users?limit=1"), "not-a-token").statusCode());
    }

    @Test
    void expiredTokenIs401() throws Exception {
        try (OneRosterEmulator x = OneRosterEmulator.builder().district(DistrictSpec.ofStudents(10)).tokenLifetime(Duration.ZERO).build().start()) {
            HttpResponse<String> r = Http.bearer(URI.create(x.baseUrl() + "/users"), Http.token(x));
            assertEquals(401, r.statusCode());
            assertTrue(r.body().contains("expired"));
        }
    }

    // ------------------------------------------------------------------ paging

    static List<String> links(HttpResponse<String> r) {
        return List.of(r.headers().firstValue("Link").orElse("").split(", "));
    }

    static String rel(HttpResponse<String> r, String rel) {
        for (String l : links(r)) if (l.endsWith("rel=\"" + rel + "\"")) return l.substring(1, l.indexOf('>'));
        return null;
    }

    @Test
    void pagingHeadersOnFirstMiddleLastAndPastTheEnd() throws Exception {
        int total = e.district().userCount(Role.STUDENT) + e.district().userCount(Role.TEACHER)
                + e.district().userCount(Role.ADMINISTRATOR) + e.district().userCount(Role.PARENT);
        HttpResponse<String> first = get("/users?limit=500&sort=sourcedId&orderBy=asc");
        assertEquals(String.valueOf(total), first.headers().firstValue("X-Total-Count").orElseThrow());
        assertEquals("500", first.headers().firstValue("x-count").orElseThrow());
        assertTrue(first.headers().firstValue("x-perm-rev").isPresent());
        String next = rel(first, "next");
        assertEquals(e.baseUrl() + "/users?sort=sourcedId&orderBy=asc&limit=500&offset=500", next);
        assertEquals(null, rel(first, "prev"));
        int lastOffset = ((total - 1) / 500) * 500;
        assertTrue(rel(first, "last").endsWith("limit=500&offset=" + lastOffset));
        assertTrue(rel(first, "first").endsWith("limit=500&offset=0"));

        HttpResponse<String> middle = Http.bearer(URI.create(next), token);
        assertTrue(rel(middle, "next").endsWith("offset=1000"));
        assertTrue(rel(middle, "prev").endsWith("offset=0"));
        assertEquals("10000500", Http.json(middle).at("/users/0/sourcedId").asText());

        HttpResponse<String> last = Http.bearer(URI.create(rel(first, "last")), token);
        assertEquals(null, rel(last, "next"));
        assertEquals(String.valueOf(total - lastOffset), last.headers().firstValue("x-count").orElseThrow());
        assertEquals(total - lastOffset, Http.json(last).get("users").size());

        HttpResponse<String> past = get("/users?limit=500&offset=" + (total + 10));
        assertEquals(200, past.statusCode());
        assertEquals(0, Http.json(past).get("users").size());
        assertEquals("0", past.headers().firstValue("x-count").orElseThrow());
        assertEquals(String.valueOf(total), past.headers().firstValue("x-total-count").orElseThrow());
        assertEquals(null, rel(past, "next"));

        // following next to the end yields every user exactly once
        Set<String> seen = new HashSet<>();
        String url = e.baseUrl() + "/users?limit=700";
        while (url != null) {
            HttpResponse<String> r = Http.bearer(URI.create(url), token);
            for (JsonNode n : Http.json(r).get("users")) assertTrue(seen.add(n.get("sourcedId").asText()));
            url = rel(r, "next");
        }
        assertEquals(total, seen.size());
    }

    @Test
    void limitDefaultAndCap() throws Exception {
        HttpResponse<String> d = get("/users");
        assertEquals(100, Http.json(d).get("users").size());
        HttpResponse<String> big = get("/users?limit=50000");
        assertTrue(rel(big, "first").contains("limit=10000"), big.headers().firstValue("Link").orElse(""));
        assertEquals(400, get("/users?limit=abc").statusCode());
        assertEquals(400, get("/users?limit=0").statusCode());
    }

    // ------------------------------------------------------------------ filter / sort / fields

    static List<JsonNode> users(String q) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        getJson("/users?limit=10000&" + q).get("users").forEach(out::add);
        return out;
    }

    @Test
    void filterOperators() throws Exception {
        assertTrue(users(filter("role='teacher'")).stream().allMatch(n -> n.get("role").asText().equals("teacher")));
        assertEquals(e.district().userCount(Role.TEACHER), users(filter("role='teacher'")).size());
        assertTrue(users(filter("role!='student'")).stream().noneMatch(n -> n.get("role").asText().equals("student")));
        assertEquals(List.of("10000003"), users(filter("sourcedId='10000003'")).stream().map(n -> n.get("sourcedId").asText()).toList());
        assertEquals(3, users(filter("sourcedId<'10000003'")).size());
        assertEquals(4, users(filter("sourcedId<='10000003'")).size());
        int total = users("").size() > 0 ? Integer.parseInt(get("/users?limit=1").headers().firstValue("x-total-count").orElseThrow()) : 0;
        assertEquals(total - 4, Integer.parseInt(get("/users?limit=1&" + filter("sourcedId>'10000003'")).headers().firstValue("x-total-count").orElseThrow()));
        assertEquals(total - 3, Integer.parseInt(get("/users?limit=1&" + filter("sourcedId>='10000003'")).headers().firstValue("x-total-count").orElseThrow()));
        List<JsonNode> smi = users(filter("familyName~'SMI'"));
        assertFalse(smi.isEmpty());
        assertTrue(smi.stream().allMatch(n -> n.get("familyName").asText().toLowerCase().contains("smi")));
        // array field
        assertTrue(users(filter("grades='06'")).stream().allMatch(n -> n.get("grades").toString().contains("\"06\"")));
        // dotted path into GUIDRefs
        String school = e.district().schoolIds().get(0);
        assertTrue(users(filter("orgs.sourcedId='" + school + "' AND role='teacher'")).stream()
                .allMatch(n -> n.at("/orgs/0/sourcedId").asText().equals(school)));
    }

    @Test
    void andBindsTighterThanOr() throws Exception {
        // a AND b OR c == (a AND b) OR c
        List<JsonNode> r = users(filter("role='administrator' AND sourcedId='30000001' OR role='teacher'"));
        assertEquals(e.district().userCount(Role.TEACHER) + 1, r.size());
        // c OR a AND b == c OR (a AND b)
        List<JsonNode> r2 = users(filter("role='teacher' OR role='administrator' AND sourcedId='30000001'"));
        assertEquals(r.size(), r2.size());
        assertTrue(users(filter("role='teacher' AND role='student' OR sourcedId='99'")).isEmpty());
    }

    @Test
    void unknownFilterFieldIs400() throws Exception {
        HttpResponse<String> r = get("/users?" + filter("shoeSize='9'"));
        assertEquals(400, r.statusCode());
        assertEquals("invalid_filter_field", Http.minor(Http.json(r)));
        assertEquals(400, get("/users?" + filter("role='teacher")).statusCode());
    }

    @Test
    void sortAndOrderBy() throws Exception {
        List<JsonNode> t = users(filter("role='teacher'") + "&sort=familyName&orderBy=desc");
        for (int i = 1; i < t.size(); i++)
            assertTrue(t.get(i - 1).get("familyName").asText().compareTo(t.get(i).get("familyName").asText()) >= 0);
        List<JsonNode> asc = users(filter("role='teacher'") + "&sort=sourcedId&orderBy=dsc"); // misspelling ignored
        assertEquals("20000000", asc.get(0).get("sourcedId").asText());
        List<JsonNode> desc = users(filter("role='teacher'") + "&orderBy=desc");
        assertEquals(asc.get(asc.size() - 1).get("sourcedId").asText(), desc.get(0).get("sourcedId").asText());
    }

    @Test
    void fieldsSelection() throws Exception {
        JsonNode n = getJson("/users?limit=3&fields=sourcedId,givenName,bogus");
        for (JsonNode u : n.get("users")) {
            assertEquals(Set.of("sourcedId", "givenName"), toSet(u.fieldNames()));
        }
        assertEquals("invalid_selection_field", Http.minor(n.get("statusInfoSet").get(0)));
        JsonNode one = getJson("/users/10000001?fields=email");
        assertEquals(Set.of("email"), toSet(one.get("user").fieldNames()));
    }

    static Set<String> toSet(java.util.Iterator<String> it) {
        Set<String> s = new HashSet<>();
        it.forEachRemaining(s::add);
        return s;
    }

    // ------------------------------------------------------------------ envelopes and shapes

    @Test
    void envelopesAndEndpoints() throws Exception {
        assertTrue(getJson("/users?limit=1").has("users"));
        assertTrue(getJson("/students?limit=1").has("users"));
        assertTrue(getJson("/teachers?limit=1").has("users"));
        assertTrue(getJson("/users/10000001").has("user"));
        assertTrue(getJson("/students/10000001").has("user"));
        assertEquals(404, get("/students/20000001").statusCode());
        JsonNode orgs = getJson("/orgs");
        assertEquals(1 + e.district().spec().schools(), orgs.get("orgs").size());
        assertEquals("district", orgs.at("/orgs/0/type").asText());
        assertEquals(e.district().spec().schools(), getJson("/schools").get("orgs").size());
        String school = e.district().schoolIds().get(0);
        assertEquals("school", getJson("/schools/" + school).at("/org/type").asText());
        JsonNode cls = getJson("/classes?limit=1");
        assertEquals("homeroom", cls.at("/classes/0/classType").asText());
        assertTrue(getJson("/enrollments?limit=1").has("enrollments"));
        assertTrue(getJson("/demographics?limit=1").has("demographics"));
        assertTrue(getJson("/demographics/10000001").get("demographics").isObject());
        assertTrue(getJson("/academicSessions").has("academicSessions"));
        assertTrue(getJson("/terms").has("academicSessions"));
        assertTrue(getJson("/courses").has("courses"));

        JsonNode ss = getJson("/schools/" + school + "/students?limit=10000");
        assertTrue(ss.get("users").size() > 0);
        ss.get("users").forEach(u -> assertEquals(school, u.at("/orgs/0/sourcedId").asText()));
        getJson("/schools/" + school + "/teachers").get("users").forEach(u -> assertEquals("teacher", u.get("role").asText()));

        String classId = e.district().homeroomClassId("10000005").orElseThrow();
        assertEquals(classId, getJson("/students/10000005/classes").at("/classes/0/sourcedId").asText());
        JsonNode cs = getJson("/classes/" + classId + "/students");
        assertTrue(cs.get("users").findValuesAsText("sourcedId").contains("10000005"));
        JsonNode ct = getJson("/classes/" + classId + "/teachers");
        assertEquals(1, ct.get("users").size());
        String teacher = ct.at("/users/0/sourcedId").asText();
        assertEquals(classId, getJson("/teachers/" + teacher + "/classes").at("/classes/0/sourcedId").asText());
        // teacher enrollment in the homeroom
        JsonNode en = getJson("/enrollments/en" + teacher).get("enrollment");
        assertEquals("teacher", en.get("role").asText());
        assertEquals(classId, en.at("/class/sourcedId").asText());

        HttpResponse<String> nf = get("/users/nope");
        assertEquals(404, nf.statusCode());
        assertEquals("unknown object", Http.minor(Http.json(nf)));
        assertEquals(404, get("/schools/nope/students").statusCode());
        assertEquals(404, get("/classes/nope/students").statusCode());
        assertEquals(404, get("/bogus").statusCode());
    }

    @Test
    void classLinkValueConventions() throws Exception {
        List<JsonNode> all = users("");
        Set<String> grades = new HashSet<>();
        boolean nonAscii = false, noEmail = false, upper = false;
        for (JsonNode u : all) {
            assertTrue(u.get("enabledUser").isTextual());
            assertTrue(Set.of("true", "false").contains(u.get("enabledUser").asText()));
            assertTrue(u.get("dateLastModified").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
            assertTrue(u.get("sms").isTextual() && u.get("phone").isTextual() && u.get("middleName").isTextual());
            assertEquals("", u.get("password").asText());
            assertTrue(u.get("orgs").size() >= 1);
            assertEquals("org", u.at("/orgs/0/type").asText());
            u.get("grades").forEach(g -> grades.add(g.asText()));
            String name = u.get("givenName").asText() + u.get("familyName").asText();
            nonAscii |= !name.chars().allMatch(c -> c < 128);
            if (u.get("role").asText().equals("student")) {
                noEmail |= u.get("email").asText().isEmpty();
                upper |= name.equals(name.toUpperCase()) && name.chars().anyMatch(Character::isLetter);
            }
        }
        assertTrue(nonAscii && noEmail && upper);
        assertTrue(grades.stream().allMatch(g -> g.matches("PK|KG|0[1-9]|1[0-2]")), grades.toString());
        assertTrue(grades.contains("KG") && grades.contains("01"));

        JsonNode student = getJson("/users/10000007").get("user");
        assertEquals("FED", student.at("/userIds/0/type").asText());
        String parentId = student.at("/agents/0/sourcedId").asText();
        assertEquals("user", student.at("/agents/0/type").asText());
        JsonNode parent = getJson("/users/" + parentId).get("user");
        assertTrue(Set.of("parent", "guardian").contains(parent.get("role").asText()));
        assertTrue(parent.get("agents").findValuesAsText("sourcedId").contains("10000007"));
        assertTrue(all.stream().anyMatch(u -> u.get("role").asText().equals("guardian")));
        // shared family e-mail: some student's email equals their parent's
        boolean shared = false;
        for (JsonNode u : all) {
            if (!u.get("role").asText().equals("student") || u.get("email").asText().isEmpty() || u.get("agents").isEmpty()) continue;
            String pid = u.at("/agents/0/sourcedId").asText();
            if (e.district().user(pid).orElseThrow().email().equals(u.get("email").asText())) { shared = true; break; }
        }
        assertTrue(shared);
        JsonNode demo = getJson("/demographics/10000007").get("demographics");
        assertTrue(demo.get("birthDate").asText().matches("\\d{4}-\\d\\d-\\d\\d"));
        assertTrue(Set.of("male", "female").contains(demo.get("sex").asText()));
        assertTrue(demo.get("white").isTextual());
    }

    // ------------------------------------------------------------------ mutations

    @Test
    void tobedeletedThenPurgeAndDelta() throws Exception {
        try (OneRosterEmulator x = OneRosterEmulator.builder().seed(3).district(DistrictSpec.ofStudents(200)).build().start()) {
            String tk = Http.token(x);
            String base = x.baseUrl().toString();
            String watermark = "2025-08-04T06:12:01.000Z";
            String delta = base + "/users?" + filter("dateLastModified>'" + watermark + "'");
            assertEquals(0, Http.json(Http.bearer(URI.create(delta), tk)).get("users").size());
            int before = Integer.parseInt(Http.bearer(URI.create(base + "/users?limit=1"), tk).headers().firstValue("x-total-count").orElseThrow());

            String id = x.district().userId(Role.STUDENT, 5);
            RosterUser removed = x.district().removeUser(id);
            assertTrue(removed.dateLastModified().isAfter(x.district().baselineModified()));
            JsonNode d = Http.json(Http.bearer(URI.create(delta), tk));
            assertEquals(1, d.get("users").size());
            assertEquals("tobedeleted", d.at("/users/0/status").asText());
            assertEquals("tobedeleted", Http.json(Http.bearer(URI.create(base + "/users/" + id), tk)).at("/user/status").asText());
            // date-only literal compares as an instant
            assertEquals(1, Http.json(Http.bearer(URI.create(base + "/users?" + filter("dateLastModified>='2025-08-05'")), tk)).get("users").size());

            RosterUser renamed = x.district().updateUser(x.district().userId(Role.TEACHER, 0), b -> b.familyName("Ōtsuka"));
            JsonNode d2 = Http.json(Http.bearer(URI.create(base + "/users?" + filter("dateLastModified>'" + watermark + "' AND status='active'")), tk));
            List<String> ids = new ArrayList<>();
            d2.get("users").forEach(n -> ids.add(n.get("sourcedId").asText()));
            assertEquals(List.of(renamed.sourcedId()), ids);
            assertEquals("Ōtsuka", d2.at("/users/0/familyName").asText());

            assertTrue(x.district().purge(id));
            assertEquals(404, Http.bearer(URI.create(base + "/users/" + id), tk).statusCode());
            HttpResponse<String> after = Http.bearer(URI.create(base + "/users?limit=10000"), tk);
            assertEquals(before - 1, Integer.parseInt(after.headers().firstValue("x-total-count").orElseThrow()));
            assertFalse(Http.json(after).get("users").findValuesAsText("sourcedId").contains(id)); // not even as an agent ref
            assertEquals(404, Http.bearer(URI.create(base + "/demographics/" + id), tk).statusCode());

            // retention hook: tobedeleted records vanish after the retention time on the district clock
            String other = x.district().userId(Role.STUDENT, 6);
            x.district().removeUser(other);
            x.district().tobedeletedRetention(Duration.ofDays(7));
            assertEquals(200, Http.bearer(URI.create(base + "/users/" + other), tk).statusCode());
            x.district().advanceClock(Duration.ofDays(8));
            assertEquals(404, Http.bearer(URI.create(base + "/users/" + other), tk).statusCode());

            // added parent with reverse link to an existing student
            String child = x.district().userId(Role.STUDENT, 9);
            RosterUser p = x.district().addUser(RosterUser.builder(Role.GUARDIAN).givenName("Zoë").familyName("Ødegård").agentIds(List.of(child)));
            JsonNode c = Http.json(Http.bearer(URI.create(base + "/users/" + child), tk)).get("user");
            assertTrue(c.get("agents").findValuesAsText("sourcedId").contains(p.sourcedId()));
            assertEquals("guardian", Http.json(Http.bearer(URI.create(base + "/users/" + p.sourcedId()), tk)).at("/user/role").asText());
        }
    }

    @Test
    void customSourcedIdsAreServedInOrderAndEscaped() throws Exception {
        try (OneRosterEmulator x = OneRosterEmulator.builder().seed(8).district(DistrictSpec.ofStudents(30)).build().start()) {
            String tk = Http.token(x);
            String school = x.district().schoolIds().get(0);
            x.district().addUser(RosterUser.builder(Role.STUDENT).sourcedId("7_1553").givenName("Ana").familyName("Ruiz").orgIds(List.of(school)));
            x.district().addUser(RosterUser.builder(Role.TEACHER).sourcedId("A|17").givenName("Bo").familyName("Lind").orgIds(List.of(school)));
            JsonNode one = Http.json(Http.bearer(URI.create(x.baseUrl() + "/users/A%7C17"), tk));
            assertEquals("A|17", one.at("/user/sourcedId").asText());
            List<String> ids = new ArrayList<>();
            Http.json(Http.bearer(URI.create(x.baseUrl() + "/users?limit=10000"), tk)).get("users").forEach(n -> ids.add(n.get("sourcedId").asText()));
            List<String> sorted = new ArrayList<>(ids);
            java.util.Collections.sort(sorted);
            assertEquals(sorted, ids);
            assertTrue(ids.contains("7_1553") && ids.contains("A|17"));
            JsonNode st = Http.json(Http.bearer(URI.create(x.baseUrl() + "/schools/" + school + "/students?limit=1000"), tk));
            assertTrue(st.get("users").findValuesAsText("sourcedId").contains("7_1553"));
            JsonNode te = Http.json(Http.bearer(URI.create(x.baseUrl() + "/teachers?" + filter("sourcedId='A|17'")), tk));
            assertEquals(1, te.get("users").size());
            x.district().removeUser("7_1553");
            assertEquals("tobedeleted", Http.json(Http.bearer(URI.create(x.baseUrl() + "/students/7_1553"), tk)).at("/user/status").asText());
            assertTrue(x.district().purge("7_1553"));
            assertEquals(404, Http.bearer(URI.create(x.baseUrl() + "/students/7_1553"), tk).statusCode());
        }
    }

    @Test
    void permRevBump() throws Exception {
        String a = get("/orgs").headers().firstValue("x-perm-rev").orElseThrow();
        String b = e.district().bumpPermRev();
        assertNotEquals(a, b);
        assertEquals(b, get("/orgs").headers().firstValue("x-perm-rev").orElseThrow());
    }

    @Test
    void demographicsOff() throws Exception {
        try (OneRosterEmulator x = OneRosterEmulator.builder().district(DistrictSpec.ofStudents(20)).demographics(false).build().start()) {
            String tk = Http.token(x);
            HttpResponse<String> r = Http.bearer(URI.create(x.baseUrl() + "/demographics"), tk);
            assertEquals(403, r.statusCode());
            assertEquals("forbidden", Http.minor(Http.json(r)));
            assertEquals(403, Http.bearer(URI.create(x.baseUrl() + "/demographics/10000001"), tk).statusCode());
            assertEquals(200, Http.bearer(URI.create(x.baseUrl() + "/users"), tk).statusCode());
        }
        try (OneRosterEmulator x = OneRosterEmulator.builder().district(DistrictSpec.ofStudents(20)).demographics(false)
                .demographicsOffStatus(200).build().start()) {
            HttpResponse<String> r = Http.bearer(URI.create(x.baseUrl() + "/demographics"), Http.token(x));
            assertEquals(200, r.statusCode());
            assertEquals(0, Http.json(r).get("demographics").size());
        }
    }

    @Test
    void version1p2() throws Exception {
        try (OneRosterEmulator x = OneRosterEmulator.builder().district(DistrictSpec.ofStudents(50)).version(Version.V1P2).build().start()) {
            assertTrue(x.baseUrl().toString().endsWith("/demo-ca-v2/ims/oneroster/rostering/v1p2"));
            String tk = Http.token(x);
            JsonNode u = Http.json(Http.bearer(URI.create(x.baseUrl() + "/users/10000001"), tk)).get("user");
            assertFalse(u.has("role"));
            assertFalse(u.has("orgs"));
            assertEquals("student", u.at("/roles/0/role").asText());
            assertEquals("primary", u.at("/roles/0/roleType").asText());
            assertTrue(u.has("primaryOrg"));
            JsonNode admins = Http.json(Http.bearer(URI.create(x.baseUrl() + "/users?" + filter("roles.role='districtAdministrator'")), tk));
            assertTrue(admins.get("users").size() >= 1);
            assertEquals(400, Http.bearer(URI.create(x.baseUrl() + "/users?fields=bogus"), tk).statusCode());
            assertEquals(400, Http.bearer(URI.create(x.baseUrl() + "/users?" + filter("role='student'")), tk).statusCode());
            assertEquals(401, Http.signed(x, URI.create(x.baseUrl() + "/users"), false).statusCode());
            assertEquals(200, Http.bearer(URI.create(x.baseUrlV1p1() + "/users"), tk).statusCode());
        }
        assertEquals(404, Http.bearer(URI.create(e.baseUrl().toString().replace("/v1p1", "/rostering/v1p2") + "/users"), token).statusCode());
    }
}
