package org.rollbook.sso.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Patrons' sessions and the sign-ins under way, in memory. A sign-in's {@code state} is bound to the
 * browser by a cookie; a code that was already used by this browser leads back to its session
 * (browsers repeat the redirect), by another browser to a refusal.
 */
final class PatronSessions {
    static final String SESSION_COOKIE = "rollbook_patron";
    static final String STATE_COOKIE = "rollbook_sso_state";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration STATE_TTL = Duration.ofMinutes(10);
    private static final Duration MAX = Duration.ofHours(8);

    record Session(String id, long patronId, String provider, String csrf, Instant created, Instant lastSeen) {
    }

    private record Pending(String provider, Instant created) {
    }

    private record UsedCode(String sessionId, Instant at) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, UsedCode> usedCodes = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idle;

    PatronSessions(Clock clock, Duration idle) {
        this.clock = clock;
        this.idle = idle;
    }

    /** A new sign-in: the state to send to the provider (and to set as the browser's cookie). */
    String begin(String provider) {
        expire();
        String state = random();
        pending.put(state, new Pending(provider, clock.instant()));
        return state;
    }

    /** Whether the callback's state is the one this browser was given for this provider (and not used yet). */
    boolean finish(String provider, String state, String cookieState) {
        if (state == null || cookieState == null || !MessageDigest.isEqual(state.getBytes(), cookieState.getBytes())) {
            return false;
        }
        Pending p = pending.remove(state);
        return p != null && p.provider().equals(provider) && p.created().plus(STATE_TTL).isAfter(clock.instant());
    }

    Session open(long patronId, String provider, String code) {
        Instant now = clock.instant();
        Session s = new Session(random(), patronId, provider, random(), now, now);
        sessions.put(s.id(), s);
        usedCodes.put(hash(code), new UsedCode(s.id(), now));
        return s;
    }

    /** The session this browser already got from this code, if it repeats the provider's redirect. */
    Optional<Session> fromRepeatedCode(String code, String cookieSession) {
        UsedCode used = usedCodes.get(hash(code));
        if (used == null || cookieSession == null || !used.sessionId().equals(cookieSession)) {
            return Optional.empty();
        }
        return find(cookieSession);
    }

    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        Instant now = clock.instant();
        if (s == null) {
            return Optional.empty();
        }
        if (s.lastSeen().plus(idle).isBefore(now) || s.created().plus(MAX).isBefore(now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        Session touched = new Session(s.id(), s.patronId(), s.provider(), s.csrf(), s.created(), now);
        sessions.replace(id, s, touched);
        return Optional.of(touched);
    }

    void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private void expire() {
        Instant now = clock.instant();
        pending.values().removeIf(p -> p.created().plus(STATE_TTL).isBefore(now));
        usedCodes.values().removeIf(u -> u.at().plus(STATE_TTL).isBefore(now));
        sessions.values().removeIf(s -> s.lastSeen().plus(idle).isBefore(now) || s.created().plus(MAX).isBefore(now));
    }

    private static String hash(String code) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(code.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
