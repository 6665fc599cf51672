package org.rollbook.emulator.oneroster.internal;

import java.time.Clock;
import java.time.Duration;

import org.rollbook.emulator.oneroster.DistrictSpec;
import org.rollbook.emulator.oneroster.Version;

/** Immutable emulator configuration. */
public record Config(String host, int port, long seed, DistrictSpec district, Version version, String tenantId,
        String consumerKey, String consumerSecret, String clientId, String clientSecret, boolean demographics,
        int demographicsOffStatus, int defaultLimit, int maxLimit, int maxFilterClauses, int threads,
        Duration timestampPast, Duration timestampFuture, Duration tokenLifetime, Clock clock) {

    /** Deterministic credential from the seed. */
    public static String derived(long seed, String prefix) {
        long h = Gen.mix(seed * 0x9E3779B97F4A7C15L + prefix.hashCode());
        long h2 = Gen.mix(h);
        String s = Long.toHexString(h) + Long.toHexString(h2);
        return prefix + "_" + s.substring(0, Math.min(s.length(), prefix.equals("cs") || prefix.equals("cx") ? 24 : 12));
    }
}
