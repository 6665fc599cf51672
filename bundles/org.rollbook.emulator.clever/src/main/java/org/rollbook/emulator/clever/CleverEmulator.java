package org.rollbook.emulator.clever;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;

import org.rollbook.emulator.clever.internal.EmulatorServer;

/**
 * An HTTP server that behaves like Clever's Data API v3.0 (under {@code /v3.0}) and its OAuth endpoints (under
 * {@code /oauth}) on one port. Use it embedded in tests:
 *
 * <pre>
 * try (CleverEmulator clever = CleverEmulator.builder().seed(7).district(DistrictSpec.ofStudents(300)).build().start()) {
 *     URI base = clever.baseUrl(); // http://127.0.0.1:54321
 *     String token = clever.districtToken();
 * }
 * </pre>
 */
public final class CleverEmulator implements AutoCloseable {

    /** Requests per minute per bearer token, as documented by Clever. */
    public static final int DEFAULT_RATE_LIMIT = 1200;

    private final EmulatorServer server;

    private CleverEmulator(Builder b) {
        this.server = new EmulatorServer(new EmulatorServer.Config(b.host, b.port, b.seed, b.spec, b.clientId,
                b.clientSecret, b.clock, b.rateLimit, b.nextOnFullLastPage, b.threads));
        b.redirectUris.forEach(server.sso()::addRedirectUri);
        if (b.codeLifetime != null) {
            server.sso().codeLifetime(b.codeLifetime);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds and starts serving. */
    public CleverEmulator start() throws IOException {
        server.start();
        return this;
    }

    /** {@code http://host:port} (no trailing slash, no version): the API is under /v3.0, OAuth under /oauth. */
    public URI baseUrl() {
        return server.baseUrl();
    }

    public String districtId() {
        return server.district().id();
    }

    public String clientId() {
        return server.clientId();
    }

    public String clientSecret() {
        return server.clientSecret();
    }

    /** The district's current (valid) bearer token, as listed by {@code GET /oauth/tokens}. */
    public String districtToken() {
        return server.districtToken();
    }

    /** Revokes the current district token and issues a new one (a "token rotation"); returns the new one. */
    public String rotateDistrictToken() {
        return server.rotateDistrictToken();
    }

    /** A one-time authorization code for {@code POST /oauth/tokens} (SSO) that logs in {@code userId}. */
    public String issueAuthorizationCode(String userId) {
        return server.issueAuthorizationCode(userId);
    }

    /** Patron single sign-on: {@code /oauth/authorize}, Instant Login, the code exchange, the second district. */
    public CleverSso sso() {
        return server.sso();
    }

    public Faults faults() {
        return server.faults();
    }

    public District district() {
        return server.district();
    }

    /** Number of HTTP requests served so far (all paths). */
    public long requestCount() {
        return server.requestCount();
    }

    @Override
    public void close() {
        server.stop();
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private long seed = 1L;
        private DistrictSpec spec = DistrictSpec.DEMO;
        private String clientId;
        private String clientSecret;
        private Clock clock = Clock.systemUTC();
        private int rateLimit = DEFAULT_RATE_LIMIT;
        private boolean nextOnFullLastPage = false;
        private int threads = 8;
        private final java.util.List<String> redirectUris = new java.util.ArrayList<>();
        private java.time.Duration codeLifetime;

        private Builder() {
        }

        /** Registers SSO redirect URIs of the app (exact match; the first is the primary one); see {@link CleverSso}. */
        public Builder redirectUri(String... uris) {
            for (String u : uris) {
                redirectUris.add(Objects.requireNonNull(u));
            }
            return this;
        }

        /** How long SSO authorization codes stay valid (default 10 minutes). */
        public Builder authorizationCodeLifetime(java.time.Duration lifetime) {
            this.codeLifetime = Objects.requireNonNull(lifetime);
            return this;
        }

        /** Interface to bind (default 127.0.0.1). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /** Port (default 0 = ephemeral). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Seed for the generated district, IDs, tokens and random faults (default 1). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder district(DistrictSpec spec) {
            this.spec = Objects.requireNonNull(spec);
            return this;
        }

        /** Client ID (default derived from the seed: 20 hex). */
        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /** Client secret (default derived from the seed: 40 hex). */
        public Builder clientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
            return this;
        }

        /** Clock for rate-limit windows, new IDs, timestamps and event retention; see {@link ManualClock}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Requests per minute per token (default 1200, as Clever). */
        public Builder rateLimit(int perMinute) {
            if (perMinute < 1) {
                throw new IllegalArgumentException("rate limit must be positive");
            }
            this.rateLimit = perMinute;
            return this;
        }

        /** Quirk toggle: emit {@code next} when the last page is exactly full (default false: the emulator
         *  knows there is nothing more). Real v3.0 behaviour is unconfirmed. */
        public Builder nextOnFullLastPage(boolean on) {
            this.nextOnFullLastPage = on;
            return this;
        }

        /** HTTP worker threads (default 8). */
        public Builder threads(int threads) {
            this.threads = Math.max(1, threads);
            return this;
        }

        public CleverEmulator build() {
            return new CleverEmulator(this);
        }
    }
}
