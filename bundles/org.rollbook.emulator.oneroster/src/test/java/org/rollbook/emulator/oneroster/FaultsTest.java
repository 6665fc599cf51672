package org.rollbook.emulator.oneroster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;

class FaultsTest {

    static OneRosterEmulator e;
    static String token;
    static URI users;

    @BeforeAll
    static void start() throws Exception {
        e = OneRosterEmulator.builder().seed(11).district(DistrictSpec.ofStudents(300)).build().start();
        token = Http.token(e);
        users = URI.create(e.baseUrl() + "/users?limit=200");
    }

    @AfterAll
    static void stop() { e.close(); }

    @BeforeEach
    void clear() { e.faults().clear().slowDelay(Duration.ofSeconds(2)).retryAfter(Duration.ofSeconds(1)); }

    @Test
    void serverErrorsJsonAndHtml() throws Exception {
        e.faults().next(Fault.HTTP_500, Fault.HTTP_502, Fault.HTTP_503, Fault.HTTP_504,
                Fault.HTTP_500_HTML, Fault.HTTP_502_HTML, Fault.HTTP_503_HTML, Fault.HTTP_504_HTML);
        for (int status : new int[] { 500, 502, 503, 504 }) {
            HttpResponse<String> r = Http.bearer(users, token);
            assertEquals(status, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertEquals("failure", Http.json(r).get("imsx_codeMajor").asText());
        }
        for (int status : new int[] { 500, 502, 503, 504 }) {
            HttpResponse<String> r = Http.bearer(users, token);
            assertEquals(status, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(r.body().contains("<html>"));
        }
        assertEquals(200, Http.bearer(users, token).statusCode());
        assertTrue(e.faults().injected() >= 8);
    }

    @Test
    void unauthorizedAndRateLimited() throws Exception {
        e.faults().next(Fault.HTTP_401, Fault.HTTP_429);
        HttpResponse<String> r401 = Http.bearer(users, token);
        assertEquals(401, r401.statusCode());
        assertEquals("unauthorized", Http.minor(Http.json(r401)));
        HttpResponse<String> r429 = Http.bearer(users, token);
        assertEquals(429, r429.statusCode());
        assertEquals("1", r429.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("server_busy", Http.minor(Http.json(r429)));
        e.faults().retryAfter(null).next(Fault.HTTP_429);
        HttpResponse<String> bare = Http.bearer(users, token);
        assertEquals(429, bare.statusCode());
        assertTrue(bare.headers().firstValue("Retry-After").isEmpty());
    }

    @Test
    void slowResponse() throws Exception {
        e.faults().slowDelay(Duration.ofMillis(400)).next(Fault.SLOW);
        long t0 = System.nanoTime();
        HttpResponse<String> r = Http.bearer(users, token);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, r.statusCode());
        assertTrue(ms >= 390, "took " + ms + " ms");
    }

    @Test
    void truncatedJson() throws Exception {
        e.faults().next(Fault.TRUNCATED_JSON);
        HttpResponse<String> r = Http.bearer(users, token);
        assertEquals(200, r.statusCode());
        assertThrows(JsonProcessingException.class, () -> Http.json(r));
    }

    @Test
    void connectionResetMidBody() throws Exception {
        e.faults().next(Fault.CONNECTION_RESET);
        assertThrows(IOException.class, () -> Http.bearer(users, token));
        assertEquals(200, Http.bearer(users, token).statusCode());
    }

    @Test
    void permRevChangesMidPull() throws Exception {
        HttpResponse<String> p1 = Http.bearer(users, token);
        e.faults().next(Fault.PERM_REV_CHANGE);
        HttpResponse<String> p2 = Http.bearer(URI.create(e.baseUrl() + "/users?limit=200&offset=200"), token);
        assertEquals(200, p2.statusCode());
        assertNotEquals(p1.headers().firstValue("x-perm-rev").orElseThrow(), p2.headers().firstValue("x-perm-rev").orElseThrow());
    }

    @Test
    void badGatewayOnHeavyPages() throws Exception {
        e.faults().badGatewayAboveLimit(100);
        assertEquals(502, Http.bearer(users, token).statusCode());
        assertEquals(200, Http.bearer(URI.create(e.baseUrl() + "/users?limit=100"), token).statusCode());
    }

    @Test
    void tokenEndpointIsNotFaulted() throws Exception {
        e.faults().next(Fault.HTTP_500);
        Http.token(e);
        assertEquals(1, e.faults().pending());
    }

    @Test
    void randomFaultsAreSeeded() throws Exception {
        List<Integer> a = statuses(21), b = statuses(21);
        assertEquals(a, b);
        assertTrue(a.stream().anyMatch(s -> s != 200) && a.stream().anyMatch(s -> s == 200), a.toString());
    }

    private static List<Integer> statuses(long seed) throws Exception {
        try (OneRosterEmulator x = OneRosterEmulator.builder().seed(seed).district(DistrictSpec.ofStudents(10)).build().start()) {
            String tk = Http.token(x);
            x.faults().rate(0.5, Fault.HTTP_503, Fault.HTTP_429);
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < 20; i++) out.add(Http.bearer(URI.create(x.baseUrl() + "/orgs"), tk).statusCode());
            return out;
        }
    }
}
