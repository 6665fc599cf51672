package org.rollbook.emulator.clever;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaultsTest {
    static CleverEmulator emu;

    @BeforeAll
    static void start() throws Exception {
        emu = CleverEmulator.builder().seed(5).district(DistrictSpec.ofStudents(300)).build().start();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @AfterEach
    void clear() {
        emu.faults().clear();
    }

    private static HttpResponse<String> users() {
        return Http.get(emu, "/v3.0/users?role=student&limit=50");
    }

    @Test
    void scriptedHttpErrorsInOrder() {
        emu.faults().next(Fault.internalError(), Fault.badGateway(), Fault.serviceUnavailable(),
                Fault.gatewayTimeout(), Fault.statusErrorField(500), Fault.status(503));
        assertEquals(6, emu.faults().queued());
        HttpResponse<String> r500 = users();
        assertEquals(500, r500.statusCode());
        assertTrue(r500.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("Internal Server Error", Http.json(r500).path("message").asText());
        for (int status : new int[] {502, 503, 504}) {
            HttpResponse<String> r = users();
            assertEquals(status, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(r.body().contains("<h1>" + status), r.body());
        }
        HttpResponse<String> legacy = users();
        assertEquals(500, legacy.statusCode());
        assertTrue(Http.json(legacy).has("error"));
        assertEquals(503, users().statusCode());
        assertEquals(200, users().statusCode(), "the queue is empty again");
        assertEquals(0, emu.faults().queued());
    }

    @Test
    void unauthorizedAndTooManyRequests() {
        emu.faults().next(Fault.unauthorized(), Fault.tooManyRequests());
        HttpResponse<String> r401 = users();
        assertEquals(401, r401.statusCode());
        assertEquals("Unauthorized", Http.json(r401).path("message").asText());
        HttpResponse<String> r429 = users();
        assertEquals(429, r429.statusCode());
        assertEquals("", r429.body());
        assertEquals("0", r429.headers().firstValue("X-RateLimit-Remaining").orElse(""));
        assertTrue(r429.headers().firstValue("X-RateLimit-Reset").isPresent());
        assertEquals(200, users().statusCode());
    }

    @Test
    void slowResponse() {
        emu.faults().next(Fault.slow(Duration.ofMillis(700)));
        long t = System.nanoTime();
        HttpResponse<String> r = users();
        assertEquals(200, r.statusCode());
        assertTrue(System.nanoTime() - t >= 650_000_000L);
        HttpRequest timed = HttpRequest.newBuilder(URI.create(emu.baseUrl() + "/v3.0/users?limit=1"))
                .header("Authorization", "Bearer " + emu.districtToken()).timeout(Duration.ofMillis(200)).build();
        emu.faults().next(Fault.slow(Duration.ofMillis(1500)));
        assertThrows(UncheckedIOException.class, () -> Http.send(timed), "a client timeout fires");
    }

    @Test
    void truncatedJsonIsA200WithABrokenBody() {
        emu.faults().next(Fault.truncatedJson());
        HttpResponse<String> r = users();
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(r.body().startsWith("{\"data\":[{"), r.body().substring(0, 20));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Http.json(r));
        assertTrue(e.getCause() instanceof JsonProcessingException);
        assertEquals(200, users().statusCode());
    }

    @Test
    void connectionResetMidBodyIsAnIOException() {
        emu.faults().next(Fault.connectionReset());
        UncheckedIOException e = assertThrows(UncheckedIOException.class, FaultsTest::users);
        assertTrue(e.getCause() instanceof IOException);
        assertEquals(200, users().statusCode(), "the next request works");
    }

    @Test
    void randomRateIsSeededAndClearable() {
        emu.faults().rate(1.0, Fault.status(503));
        long before = emu.faults().injected();
        for (int i = 0; i < 5; i++) {
            assertEquals(503, users().statusCode());
        }
        assertEquals(before + 5, emu.faults().injected());
        emu.faults().rate(0.5, Fault.internalError(), Fault.gatewayTimeout());
        int failed = 0;
        for (int i = 0; i < 40; i++) {
            if (users().statusCode() != 200) {
                failed++;
            }
        }
        assertTrue(failed > 5 && failed < 35, "about half: " + failed);
        emu.faults().clear();
        for (int i = 0; i < 5; i++) {
            assertEquals(200, users().statusCode());
        }
    }

    @Test
    void oauthIsNotFaulted() {
        emu.faults().rate(1.0, Fault.internalError());
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(emu.baseUrl()
                + "/oauth/tokens?owner_type=district")).header("Authorization",
                Http.basic(emu.clientId(), emu.clientSecret())).GET().build());
        assertEquals(200, r.statusCode());
    }
}
