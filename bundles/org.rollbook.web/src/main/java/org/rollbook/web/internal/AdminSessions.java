package org.rollbook.web.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.rollbook.api.security.AdminCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administrator's console sessions: sign-in with the rate limit, session lookup with idle and
 * absolute expiry, sign-out. Sessions live in memory: a restart signs everybody out.
 */
@Component(service = AdminSessions.class, configurationPid = "org.rollbook.web.sessions")
@Designate(ocd = AdminSessions.Config.class)
public class AdminSessions {
    private static final Logger LOG = LoggerFactory.getLogger(AdminSessions.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String COOKIE = "rollbook_session";

    @ObjectClassDefinition(name = "Rollbook console sessions")
    public @interface Config {
        @AttributeDefinition(name = "Idle timeout (minutes)")
        int idleMinutes() default 30;

        @AttributeDefinition(name = "Longest session (hours)")
        int maxHours() default 12;

        @AttributeDefinition(name = "Failed sign-ins allowed", description = "Per client address, within the lockout window.")
        int attempts() default 5;

        @AttributeDefinition(name = "Lockout window (minutes)")
        int lockoutMinutes() default 15;
    }

    /** A signed-in administrator. */
    record Session(String id, String user, String csrf, Instant created, Instant lastSeen) {
    }

    /** A refused sign-in: 401 for wrong credentials, 429 (with the seconds to wait) when rate-limited. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final long retryAfterSeconds;

        Refused(int status, String message, long retryAfterSeconds) {
            super(message);
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    private final AdminCredentials credentials;
    private final Duration idle;
    private final Duration max;
    private final int attempts;
    private final Duration lockout;
    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    @Activate
    public AdminSessions(Config config, @Reference AdminCredentials credentials) {
        this(config, credentials, Clock.systemUTC());
    }

    AdminSessions(Config config, AdminCredentials credentials, Clock clock) {
        this.credentials = credentials;
        this.idle = Duration.ofMinutes(Math.max(1, config.idleMinutes()));
        this.max = Duration.ofHours(Math.max(1, config.maxHours()));
        this.attempts = Math.max(1, config.attempts());
        this.lockout = Duration.ofMinutes(Math.max(1, config.lockoutMinutes()));
        this.clock = clock;
    }

    Session signIn(String user, String password, String client) throws Refused {
        Instant now = clock.instant();
        Deque<Instant> recent = failures.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (recent) {
            while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(lockout))) {
                recent.pollFirst();
            }
            if (recent.size() >= attempts) {
                long wait = Math.max(1, Duration.between(now, recent.peekFirst().plus(lockout)).toSeconds());
                throw new Refused(429, "too many failed sign-ins from this address: try again in " + (wait + 59) / 60 + " minute(s)", wait);
            }
            if (!credentials.verify(user, password)) {
                recent.addLast(now);
                LOG.warn("Failed administrator sign-in from {}", client);
                throw new Refused(401, "wrong user name or password", 0);
            }
            recent.clear();
        }
        expire(now);
        Session s = new Session(random(), credentials.user(), random(), now, now);
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session with this id, touched; empty when unknown or expired. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (s.lastSeen().plus(idle).isBefore(now) || s.created().plus(max).isBefore(now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        Session touched = new Session(s.id(), s.user(), s.csrf(), s.created(), now);
        sessions.replace(id, s, touched);
        return Optional.of(touched);
    }

    void signOut(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    boolean verifyToken(String token) {
        return credentials.verifyToken(token);
    }

    static boolean sameSecret(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void expire(Instant now) {
        sessions.values().removeIf(s -> s.lastSeen().plus(idle).isBefore(now) || s.created().plus(max).isBefore(now));
        failures.values().removeIf(d -> {
            synchronized (d) {
                return d.isEmpty() || d.peekLast().isBefore(now.minus(lockout));
            }
        });
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
