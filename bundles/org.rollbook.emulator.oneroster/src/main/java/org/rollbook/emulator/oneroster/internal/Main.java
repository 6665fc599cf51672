package org.rollbook.emulator.oneroster.internal;

import java.util.concurrent.CountDownLatch;

import org.rollbook.emulator.oneroster.DistrictSpec;
import org.rollbook.emulator.oneroster.Fault;
import org.rollbook.emulator.oneroster.OneRosterEmulator;
import org.rollbook.emulator.oneroster.Version;

/** {@code java -jar org.rollbook.emulator.oneroster.jar [options]}. */
public final class Main {

    static final String HELP = """
            Usage: java -jar org.rollbook.emulator.oneroster-<version>.jar [options]

            A local ClassLink-like OneRoster roster server (1.1 REST, optional 1.2 rostering).

              --host H            bind address (default 127.0.0.1; 0.0.0.0 for every interface)
              --port P            port (default 8282; 0 = ephemeral)
              --seed S            data/credential seed (default 1)
              --students N        district size; teachers 1:15, admins 1:50, parents ~1:1, schools 1:500 (default 1000)
              --version 1.1|1.2   1.2 also serves /ims/oneroster/rostering/v1p2 (default 1.1)
              --tenant T          tenant path segment (default demo-ca-v2)
              --key K --secret S  OAuth 1.0a consumer key/secret (default: derived from the seed)
              --client-id I --client-secret S   OAuth 2 client credentials (default: derived from the seed)
              --no-demographics   the district switched demographics off (403 on /demographics)
              --fault-rate p      random 500/502/503/504/429 faults with probability p per request
              --sso-client-id I --sso-client-secret S   ClassLink SSO app credentials (default: derived from the seed)
              --redirect-uri U    register an SSO redirect URI (repeatable; the first is used by LaunchPad launches)
              --code-ttl N        SSO authorization codes expire after N seconds (default 300)
              --classlink-tenant-id N   numeric ClassLink TenantId of the roster tenant (default: --tenant if numeric, else 2)
              --help              this text
            """;

    private Main() {}

    public static void main(String[] args) throws Exception {
        OneRosterEmulator.Builder b = OneRosterEmulator.builder().port(8282);
        double faultRate = 0;
        int students = 1000;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> { System.out.print(HELP); return; }
                    case "--host" -> b.host(args[++i]);
                    case "--port" -> b.port(Integer.parseInt(args[++i]));
                    case "--seed" -> b.seed(Long.parseLong(args[++i]));
                    case "--students" -> students = Integer.parseInt(args[++i]);
                    case "--version" -> {
                        String v = args[++i];
                        if (v.equals("1.1")) b.version(Version.V1P1);
                        else if (v.equals("1.2")) b.version(Version.V1P2);
                        else throw new IllegalArgumentException("--version must be 1.1 or 1.2");
                    }
                    case "--tenant" -> b.tenantId(args[++i]);
                    case "--key" -> b.consumerKey(args[++i]);
                    case "--secret" -> b.consumerSecret(args[++i]);
                    case "--client-id" -> b.clientId(args[++i]);
                    case "--client-secret" -> b.clientSecret(args[++i]);
                    case "--no-demographics" -> b.demographics(false);
                    case "--fault-rate" -> faultRate = Double.parseDouble(args[++i]);
                    case "--sso-client-id" -> b.ssoClientId(args[++i]);
                    case "--sso-client-secret" -> b.ssoClientSecret(args[++i]);
                    case "--redirect-uri" -> b.redirectUri(java.net.URI.create(args[++i]).toString());
                    case "--code-ttl" -> {
                        long ttl = Long.parseLong(args[++i]);
                        if (ttl < 1) throw new IllegalArgumentException("--code-ttl must be positive");
                        b.authorizationCodeLifetime(java.time.Duration.ofSeconds(ttl));
                    }
                    case "--classlink-tenant-id" -> b.classLinkTenantId(Long.parseLong(args[++i]));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            System.err.println("oneroster-emulator: " + (e instanceof ArrayIndexOutOfBoundsException ? "missing value" : e.getMessage()) + " (try --help)");
            System.exit(2);
            return;
        }
        b.district(DistrictSpec.ofStudents(students));
        OneRosterEmulator e = b.build();
        try {
            e.start();
        } catch (java.io.IOException ex) {
            System.err.println("oneroster-emulator: cannot listen: " + ex.getMessage());
            System.exit(1);
            return;
        }
        if (faultRate > 0) e.faults().rate(faultRate, Fault.HTTP_500, Fault.HTTP_502, Fault.HTTP_503, Fault.HTTP_504, Fault.HTTP_429);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { e.close(); done.countDown(); }));
        System.out.println("OneRoster emulator (" + (e.version() == Version.V1P1 ? "1.1" : "1.2") + ") listening");
        System.out.println("  base URL        " + e.baseUrl());
        if (e.version() == Version.V1P2) System.out.println("  1.1 base URL    " + e.baseUrlV1p1());
        System.out.println("  tenant id       " + e.tenantId());
        System.out.println("  consumer key    " + e.consumerKey());
        System.out.println("  consumer secret " + e.consumerSecret());
        System.out.println("  token URL       " + e.tokenUrl());
        System.out.println("  client id       " + e.clientId());
        System.out.println("  client secret   " + e.clientSecret());
        System.out.println("  district        " + e.district().spec());
        System.out.println("  SSO authorize   " + e.sso().authorizeUrl() + "?client_id=" + e.sso().clientId()
                + "&scope=profile,oneroster&redirect_uri=<registered>&response_type=code&state=<state>");
        System.out.println("  SSO token/info  " + e.sso().tokenUrl() + "  " + e.sso().infoUrl());
        System.out.println("  SSO client      " + e.sso().clientId() + " / " + e.sso().clientSecret());
        System.out.println("  SSO tenants     TenantId " + e.sso().tenantId() + " (" + e.sso().tenantName() + "), other "
                + e.sso().otherTenantId() + "; redirect URIs "
                + (e.sso().redirectUris().isEmpty() ? "none (--redirect-uri)" : e.sso().redirectUris()));
        System.out.println("Ctrl-C to stop.");
        done.await();
    }
}
