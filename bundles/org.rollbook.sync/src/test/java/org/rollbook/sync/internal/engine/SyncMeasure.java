package org.rollbook.sync.internal.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.rollbook.api.patron.PatronType;
import org.rollbook.api.roster.FetchReport;
import org.rollbook.api.roster.FetchRequest;
import org.rollbook.api.roster.RosterConnector;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterSink;
import org.rollbook.api.roster.RosterState;
import org.rollbook.api.sync.Operation;

/**
 * Not a test: a quick measurement of a full sync of N generated students (first, then unchanged) with
 * the peak heap. Usage: java -Xmx512m -cp <test classpath> ...SyncMeasure 100000 [dir]
 */
public final class SyncMeasure {

    /** Streams N students without holding them. */
    static final class Generated extends TestConnector {
        final int n;

        Generated(int n) {
            super("district-1");
            this.n = n;
        }





        @Override
        public FetchReport fetch(FetchRequest request, RosterSink sink) {
            for (int i = 0; i < n; i++) {
                Map<String, String> v = new HashMap<>();
                v.put("name.first", "First" + i);
                v.put("name.last", "Last" + i);
                v.put("email", "student" + i + "@district.example");
                v.put("roles.student.school", i % 2 == 0 ? "school-east" : "school-west");
                v.put("roles.student.grade", Integer.toString(1 + i % 12));
                v.put("roles.student.dob", (1 + i % 12) + "/" + (1 + i % 28) + "/2012");
                sink.accept(new RosterRecord(String.format("%024x", i), PatronType.STUDENT, RosterState.ACTIVE, v));
            }
            return FetchReport.complete("c", n);
        }
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("rollbook-measure");
        try (EngineFixture f = new EngineFixture(dir)) {
            f.settings = f.settings.withHolds(Threshold.NONE, Threshold.NONE, 20);
            RosterConnector roster = new Generated(n);
            for (String label : new String[] {"first full sync", "unchanged full sync"}) {
                long t0 = System.nanoTime();
                Operation op = f.operations.createOperation(EngineFixture.INTEGRATION, org.rollbook.api.sync.OperationKind.FULL,
                        org.rollbook.api.sync.Trigger.MANUAL, false, java.util.Set.of(), 0);
                op = f.engine.run(op, roster, f.settings, () -> false);
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%s of %d: %.1f s (%.0f records/s), %s: %s%n", label, n, s, n / s, op.status(),
                        op.message());
            }
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("peak heap used: %d MB (max %d MB)%n", peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }
}
