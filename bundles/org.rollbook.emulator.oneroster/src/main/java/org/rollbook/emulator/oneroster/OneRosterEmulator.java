package org.rollbook.emulator.oneroster;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import org.rollbook.emulator.oneroster.internal.ClassLinkSsoImpl;
import org.rollbook.emulator.oneroster.internal.Config;
import org.rollbook.emulator.oneroster.internal.EmulatorServer;

/**
 * A ClassLink-like OneRoster roster server on loopback.
 *
 * <pre>
 * try (OneRosterEmulator e = OneRosterEmulator.builder().seed(7).district(DistrictSpec.ofStudents(500)).build()) {
 *     e.start();
 *     URI base = e.baseUrl();   // http://127.0.0.1:PORT/demo-ca-v2/ims/oneroster/v1p1
 *     // GET base + "/users?limit=100&amp;offset=0", signed with OAuth 1.0a (consumerKey/consumerSecret)
 * }
 * </pre>
 */
public final class OneRosterEmulator implements AutoCloseable {

    private final EmulatorServer server;
    private final ClassLinkSsoImpl sso;

    private OneRosterEmulator(Config config, ClassLinkSsoImpl.Settings ssoSettings) {
        this.server = new EmulatorServer(config);
        this.sso = new ClassLinkSsoImpl(server, ssoSettings);
        server.attachSso(sso);
    }

    public static Builder builder() { return new Builder(); }

    /** Binds and starts serving. */
    public OneRosterEmulator start() throws IOException { server.start(); return this; }

    /**
     * What a ClassLink admin would paste as the roster server URL: {@code http://HOST:PORT/<tenantId>/ims/oneroster/v1p1}
     * (or {@code …/ims/oneroster/rostering/v1p2} with {@link Version#V1P2}); the connector appends
     * {@code /users}, {@code /orgs}, … . The tenant path segment stands in for ClassLink's per-tenant host name.
     */
    public URI baseUrl() { return server.baseUrl(); }

    /** Root of the 1.1 binding regardless of version. */
    public URI baseUrlV1p1() { return server.baseUrl(Version.V1P1); }

    /** OAuth 2 client-credentials token endpoint: {@code http://HOST:PORT/<tenantId>/oauth/token}. */
    public URI tokenUrl() { return server.tokenUrl(); }

    public int port() { return server.port(); }

    public String tenantId() { return server.config().tenantId(); }

    public Version version() { return server.config().version(); }

    public String consumerKey() { return server.config().consumerKey(); }

    public String consumerSecret() { return server.config().consumerSecret(); }

    public String clientId() { return server.config().clientId(); }

    public String clientSecret() { return server.config().clientSecret(); }

    public Faults faults() { return server.faults(); }

    /** ClassLink patron SSO: {@code /oauth2/v2/auth}, {@code /oauth2/v2/token}, {@code /v2/my/info}, LaunchPad launches. */
    public ClassLinkSso sso() { return sso; }

    /** Live, thread-safe set of active {@link Quirk}s (empty by default = ClassLink-like). */
    public java.util.Set<Quirk> quirks() { return server.quirks(); }

    public District district() { return server.district(); }

    /** Requests served so far (all routes). */
    public long requestCount() { return server.requestCount(); }

    @Override
    public void close() { server.close(); }

    /** Configuration; everything has a default. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private long seed = 1L;
        private DistrictSpec district = DistrictSpec.DEMO;
        private Version version = Version.V1P1;
        private String tenantId = "demo-ca-v2";
        private String consumerKey, consumerSecret, clientId, clientSecret;
        private boolean demographics = true;
        private int demographicsOffStatus = 403;
        private int defaultLimit = 100;
        private int maxLimit = 10_000;
        private int maxFilterClauses = 0;
        private int threads = 4;
        private Duration timestampPast = Duration.ofMinutes(10), timestampFuture = Duration.ofMinutes(5);
        private Duration tokenLifetime = Duration.ofHours(1);
        private Clock clock = Clock.systemUTC();
        private String ssoClientId, ssoClientSecret;
        private final java.util.List<String> redirectUris = new java.util.ArrayList<>();
        private Long classLinkTenantId, otherTenantId;
        private Duration codeLifetime, ssoTokenLifetime;

        private Builder() {}

        /** SSO app client id (default derived from the seed, {@code c1…}); see {@link ClassLinkSso}. */
        public Builder ssoClientId(String v) { ssoClientId = v; return this; }
        public Builder ssoClientSecret(String v) { ssoClientSecret = v; return this; }
        /** Registers SSO redirect URIs (exact match; the first is used by LaunchPad launches). */
        public Builder redirectUri(String... v) { for (String u : v) redirectUris.add(Objects.requireNonNull(u)); return this; }
        /** ClassLink's numeric TenantId of the roster tenant (default: {@code tenantId} if numeric, else 2). */
        public Builder classLinkTenantId(long v) { classLinkTenantId = v; return this; }
        /** TenantId of the second, SSO-only tenant (default: classLinkTenantId + 1). */
        public Builder otherTenantId(long v) { otherTenantId = v; return this; }
        /** SSO authorization code lifetime (default 5 minutes). */
        public Builder authorizationCodeLifetime(Duration v) { codeLifetime = Objects.requireNonNull(v); return this; }
        /** SSO access token lifetime (default 24 hours). */
        public Builder ssoTokenLifetime(Duration v) { ssoTokenLifetime = Objects.requireNonNull(v); return this; }

        /** Bind address, default 127.0.0.1. */
        public Builder host(String v) { host = Objects.requireNonNull(v); return this; }
        /** Port, default 0 (ephemeral). */
        public Builder port(int v) { port = v; return this; }
        /** Seed for data, credentials and random faults (default 1). */
        public Builder seed(long v) { seed = v; return this; }
        public Builder district(DistrictSpec v) { district = Objects.requireNonNull(v); return this; }
        public Builder version(Version v) { version = Objects.requireNonNull(v); return this; }
        /** Tenant path segment (URL-safe), default {@code demo-ca-v2}. */
        public Builder tenantId(String v) { tenantId = Objects.requireNonNull(v); return this; }
        public Builder consumerKey(String v) { consumerKey = v; return this; }
        public Builder consumerSecret(String v) { consumerSecret = v; return this; }
        public Builder clientId(String v) { clientId = v; return this; }
        public Builder clientSecret(String v) { clientSecret = v; return this; }
        /** false: the district switched demographics off for this app (ref §2.4, P14): {@code /demographics*} answer 403. */
        public Builder demographics(boolean v) { demographics = v; return this; }
        /** What {@code /demographics*} answer when demographics are off: 403 (default) or 200 with an empty collection. */
        public Builder demographicsOffStatus(int v) {
            if (v != 403 && v != 200) throw new IllegalArgumentException("403 or 200");
            demographicsOffStatus = v; return this;
        }
        public Builder defaultLimit(int v) { defaultLimit = v; return this; }
        /** Larger limits are clamped, not rejected (default 10,000, ref §2.5). */
        public Builder maxLimit(int v) { maxLimit = v; return this; }
        /** Maximum filter clauses (0 = unlimited, default; strict 1.1 servers use 2, ref §2.7). */
        public Builder maxFilterClauses(int v) { maxFilterClauses = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        /** OAuth 1.0a timestamp window (default 10 min past, 5 min future, ref §3.1). */
        public Builder timestampWindow(Duration past, Duration future) { timestampPast = past; timestampFuture = future; return this; }
        public Builder tokenLifetime(Duration v) { tokenLifetime = v; return this; }
        /** Clock for OAuth checks, token expiry and record timestamps (default system UTC). */
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v); return this; }

        public OneRosterEmulator build() {
            String ck = consumerKey != null ? consumerKey : Config.derived(seed, "ck");
            String cs = consumerSecret != null ? consumerSecret : Config.derived(seed, "cs");
            String ci = clientId != null ? clientId : Config.derived(seed, "ci");
            String csec = clientSecret != null ? clientSecret : Config.derived(seed, "cx");
            return new OneRosterEmulator(new Config(host, port, seed, district, version, tenantId, ck, cs, ci, csec,
                    demographics, demographicsOffStatus, defaultLimit, maxLimit, maxFilterClauses, threads,
                    timestampPast, timestampFuture, tokenLifetime, clock),
                    new ClassLinkSsoImpl.Settings(ssoClientId, ssoClientSecret, java.util.List.copyOf(redirectUris),
                            classLinkTenantId, otherTenantId, codeLifetime, ssoTokenLifetime));
        }
    }
}
