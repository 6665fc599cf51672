package org.rollbook.emulator.clever.internal;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Fixed one-minute windows per bearer token (Clever: "resets every minute; not an average"). */
final class RateLimiter {
    private final Clock clock;
    private final int limit;
    private final Map<String, long[]> windows = new HashMap<>(); // token -> {window, count}

    RateLimiter(Clock clock, int limit) {
        this.clock = clock;
        this.limit = limit;
    }

    /** Counts one request; returns {limit, remaining, resetEpochSeconds, allowed(1/0)}. */
    synchronized long[] hit(String token) {
        long window = Math.floorDiv(clock.millis(), 60_000L);
        long[] w = windows.computeIfAbsent(token, t -> new long[2]);
        if (w[0] != window) {
            w[0] = window;
            w[1] = 0;
        }
        w[1]++;
        return new long[] {limit, Math.max(0, limit - w[1]), (window + 1) * 60, w[1] <= limit ? 1 : 0};
    }
}
