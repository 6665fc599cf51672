package org.rollbook.emulator.clever.internal;

import java.util.concurrent.CountDownLatch;

import org.rollbook.emulator.clever.CleverEmulator;
import org.rollbook.emulator.clever.DistrictSpec;
import org.rollbook.emulator.clever.Fault;

/** {@code java -jar org.rollbook.emulator.clever.jar [--host H] [--port P] [--seed S] [--students N] [--fault-rate p]} */
public final class Main {
    private Main() {
    }

    static final String USAGE = String.join("\n",
            "Clever Data API v3.0 emulator (Rollbook)",
            "",
            "usage: java -jar org.rollbook.emulator.clever.jar [options]",
            "  --host H        interface to bind (default 127.0.0.1)",
            "  --port P        port (default 8181; 0 = any free port)",
            "  --seed S        seed of the synthetic district (default 1)",
            "  --students N    students (default 1000); teachers 1:15, staff 1:50, 3 district admins,",
            "                  contacts 1 per 2 students, schools 1:500",
            "  --fault-rate p  fail this fraction of API requests with 500/502/503/504, 429, slow,",
            "                  truncated or reset responses (default 0)",
            "  --client-id I --client-secret S   the app's client (default: derived from the seed)",
            "  --redirect-uri U  register an SSO redirect URI (repeatable; the first is the primary)",
            "  --code-ttl N    SSO authorization codes expire after N seconds (default 600)",
            "  --help          this text",
            "",
            "API under <base>/v3.0, OAuth under <base>/oauth (SSO: <base>/oauth/authorize). Runs until Ctrl-C.");

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 8181;
        long seed = 1;
        int students = 1000;
        double faultRate = 0;
        String clientId = null;
        String clientSecret = null;
        java.util.List<String> redirectUris = new java.util.ArrayList<>();
        long codeTtl = 0;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--help":
                    case "-h":
                        System.out.println(USAGE);
                        return;
                    case "--host":
                        host = args[++i];
                        break;
                    case "--port":
                        port = Integer.parseInt(args[++i]);
                        break;
                    case "--seed":
                        seed = Long.parseLong(args[++i]);
                        break;
                    case "--students":
                        students = Integer.parseInt(args[++i]);
                        break;
                    case "--fault-rate":
                        faultRate = Double.parseDouble(args[++i]);
                        break;
                    case "--client-id":
                        clientId = args[++i];
                        break;
                    case "--client-secret":
                        clientSecret = args[++i];
                        break;
                    case "--redirect-uri":
                        redirectUris.add(java.net.URI.create(args[++i]).toString());
                        break;
                    case "--code-ttl":
                        codeTtl = Long.parseLong(args[++i]);
                        if (codeTtl < 1) {
                            throw new IllegalArgumentException("--code-ttl must be positive");
                        }
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("clever-emulator: " + (e instanceof ArrayIndexOutOfBoundsException
                    ? "missing value for " + args[args.length - 1] : e.getMessage()));
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        long t = System.nanoTime();
        CleverEmulator.Builder builder = CleverEmulator.builder().host(host).port(port).seed(seed)
                .district(DistrictSpec.ofStudents(students)).clientId(clientId).clientSecret(clientSecret)
                .redirectUri(redirectUris.toArray(new String[0]));
        if (codeTtl > 0) {
            builder.authorizationCodeLifetime(java.time.Duration.ofSeconds(codeTtl));
        }
        CleverEmulator emu = builder.build();
        try {
            emu.start();
        } catch (java.io.IOException e) {
            System.err.println("clever-emulator: cannot listen on " + host + ":" + port + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        if (faultRate > 0) {
            emu.faults().rate(faultRate, Fault.internalError(), Fault.badGateway(), Fault.serviceUnavailable(),
                    Fault.gatewayTimeout(), Fault.tooManyRequests(), Fault.slow(java.time.Duration.ofSeconds(2)),
                    Fault.truncatedJson(), Fault.connectionReset());
        }
        DistrictSpec spec = emu.district().spec();
        System.out.println("Clever emulator listening on " + emu.baseUrl() + " (API " + emu.baseUrl() + "/v3.0, OAuth "
                + emu.baseUrl() + "/oauth), started in " + (System.nanoTime() - t) / 1_000_000 + " ms");
        System.out.println("district id:    " + emu.districtId() + " (" + spec.students() + " students, "
                + spec.teachers() + " teachers, " + spec.staff() + " staff, " + spec.districtAdmins()
                + " district admins, " + spec.contacts() + " contacts, " + spec.schools() + " schools)");
        System.out.println("client id:      " + emu.clientId());
        System.out.println("client secret:  " + emu.clientSecret());
        System.out.println("district token: " + emu.districtToken());
        System.out.println("SSO:            " + emu.sso().authorizeUrl() + "?response_type=code&client_id="
                + emu.clientId() + "&redirect_uri=<registered>&state=<state>; redirect URIs: "
                + (emu.sso().redirectUris().isEmpty() ? "none (--redirect-uri)" : emu.sso().redirectUris())
                + "; other district " + emu.sso().otherDistrict().id());
        System.out.println("try: curl -H 'Authorization: Bearer " + emu.districtToken() + "' '" + emu.baseUrl()
                + "/v3.0/users?role=student&limit=2'");
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emu.close();
            done.countDown();
        }, "clever-emulator-shutdown"));
        done.await();
    }
}
