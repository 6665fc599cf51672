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
            "  --help          this text",
            "",
            "API under <base>/v3.0, OAuth under <base>/oauth. Runs until Ctrl-C.");

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 8181;
        long seed = 1;
        int students = 1000;
        double faultRate = 0;
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
        CleverEmulator emu = CleverEmulator.builder().host(host).port(port).seed(seed)
                .district(DistrictSpec.ofStudents(students)).build();
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
