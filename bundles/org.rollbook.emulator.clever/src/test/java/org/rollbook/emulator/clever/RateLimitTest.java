package org.rollbook.emulator.clever;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void defaultIs1200PerMinuteWithHeadersOnEveryApiResponse() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-04-24T22:48:40Z"));
        try (CleverEmulator emu = CleverEmulator.builder().clock(clock).district(DistrictSpec.ofStudents(20)).build()
                .start()) {
            HttpResponse<String> r = Http.get(emu, "/v3.0/users?limit=1");
            assertEquals("bearer", r.headers().firstValue("X-RateLimit-Bucket").orElse(""));
            assertEquals("1200", r.headers().firstValue("X-RateLimit-Limit").orElse(""));
            assertEquals("1199", r.headers().firstValue("X-RateLimit-Remaining").orElse(""));
            assertEquals(String.valueOf(Instant.parse("2026-04-24T22:49:00Z").getEpochSecond()),
                    r.headers().firstValue("X-RateLimit-Reset").orElse(""));
            HttpResponse<String> notFound = Http.get(emu, "/v3.0/nothing");
            assertEquals("1198", notFound.headers().firstValue("X-RateLimit-Remaining").orElse(""));
        }
    }

    @Test
    void exhaustedBucketGives429WithEmptyBodyUntilTheMinuteTurns() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-04-24T22:48:10Z"));
        try (CleverEmulator emu = CleverEmulator.builder().clock(clock).rateLimit(5)
                .district(DistrictSpec.ofStudents(20)).build().start()) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> ok = Http.get(emu, "/v3.0/users?limit=1");
                assertEquals(200, ok.statusCode());
                assertEquals(String.valueOf(4 - i), ok.headers().firstValue("X-RateLimit-Remaining").orElse(""));
            }
            HttpResponse<String> limited = Http.get(emu, "/v3.0/users?limit=1");
            assertEquals(429, limited.statusCode());
            assertEquals("", limited.body());
            assertEquals("0", limited.headers().firstValue("X-RateLimit-Remaining").orElse(""));
            assertEquals("5", limited.headers().firstValue("X-RateLimit-Limit").orElse(""));
            long reset = Long.parseLong(limited.headers().firstValue("X-RateLimit-Reset").orElseThrow());
            assertEquals(Instant.parse("2026-04-24T22:49:00Z").getEpochSecond(), reset);
            assertTrue(limited.headers().firstValue("Retry-After").isEmpty());
            // another token has its own bucket
            String other = emu.rotateDistrictToken();
            assertEquals(200, Http.get(emu, "/v3.0/users?limit=1", other).statusCode());
            // the minute turns
            clock.advance(Duration.ofSeconds(50));
            assertEquals(200, Http.get(emu, "/v3.0/users?limit=1", other).statusCode());
        }
    }
}
