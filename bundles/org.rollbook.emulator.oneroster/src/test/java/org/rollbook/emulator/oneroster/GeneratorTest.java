package org.rollbook.emulator.oneroster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class GeneratorTest {

    static String body(long seed, String path) throws Exception {
        try (OneRosterEmulator x = OneRosterEmulator.builder().seed(seed).district(DistrictSpec.ofStudents(300)).build().start()) {
            HttpResponse<String> r = Http.bearer(URI.create(x.baseUrl() + path), Http.token(x));
            assertEquals(200, r.statusCode());
            return r.body().replace(":" + x.port() + "/", ":PORT/");
        }
    }

    @Test
    void deterministicPerSeed() throws Exception {
        String p = "/users?limit=1000&offset=0";
        assertEquals(body(5, p), body(5, p));
        assertNotEquals(body(5, p), body(6, p));
        assertEquals(body(5, "/demographics?limit=50"), body(5, "/demographics?limit=50"));
        OneRosterEmulator a = OneRosterEmulator.builder().seed(5).build(), b = OneRosterEmulator.builder().seed(5).build();
        assertEquals(a.consumerKey(), b.consumerKey());
        assertEquals(a.consumerSecret(), b.consumerSecret());
    }

    @Test
    void specRatios() {
        DistrictSpec s = DistrictSpec.ofStudents(1000);
        assertEquals(67, s.teachers());
        assertEquals(20, s.administrators());
        assertEquals(2, s.schools());
        assertTrue(s.parents() >= 900 && s.parents() <= 1000);
        assertEquals(1, DistrictSpec.ofStudents(0).schools());
        assertEquals(1000, DistrictSpec.DEMO.students());
    }

    @Test
    void millionStudentDistrictStartsQuicklyAndServesPages() throws Exception {
        System.gc();
        long heap0 = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        long t0 = System.nanoTime();
        try (OneRosterEmulator x = OneRosterEmulator.builder().seed(9).district(DistrictSpec.ofStudents(1_000_000)).build().start()) {
            long startMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(startMs < 3000, "start took " + startMs + " ms");
            String tk = Http.token(x);
            HttpResponse<String> r = Http.bearer(URI.create(x.baseUrl() + "/users?limit=1000&offset=0"), tk);
            assertEquals(200, r.statusCode());
            int total = Integer.parseInt(r.headers().firstValue("x-total-count").orElseThrow());
            assertTrue(total > 2_000_000, "total " + total);
            HttpResponse<String> tail = Http.bearer(URI.create(x.baseUrl() + "/students?limit=100&offset=999950"), tk);
            JsonNode n = Http.json(tail);
            assertEquals(50, n.get("users").size());
            assertEquals("10999999", n.at("/users/49/sourcedId").asText());
            assertEquals(200, Http.bearer(URI.create(x.baseUrl() + "/users/10654321"), tk).statusCode());
            String school = x.district().schoolIds().get(1000);
            JsonNode ss = Http.json(Http.bearer(URI.create(x.baseUrl() + "/schools/" + school + "/students?limit=10"), tk));
            assertEquals(10, ss.get("users").size());
            String cls = x.district().homeroomClassId("10500000").orElseThrow();
            assertTrue(Http.json(Http.bearer(URI.create(x.baseUrl() + "/classes/" + cls + "/students"), tk)).get("users").size() >= 10);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 15_000, "took " + ms + " ms");
            long heap1 = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            assertTrue(heap1 - heap0 < 300L << 20, "heap grew " + ((heap1 - heap0) >> 20) + " MB");
        }
    }
}
