package org.rollbook.emulator.oneroster.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.rollbook.emulator.oneroster.Fault;
import org.rollbook.emulator.oneroster.Faults;

/** Thread-safe fault schedule. */
public final class FaultsImpl implements Faults {

    private final Deque<Fault> queue = new ArrayDeque<>();
    private final Random random;
    private double p;
    private Fault[] kinds = new Fault[0];
    private volatile Duration slow = Duration.ofSeconds(2);
    private volatile Duration retryAfter = Duration.ofSeconds(1);
    private volatile int heavyLimit;
    private final AtomicLong injected = new AtomicLong();

    public FaultsImpl(long seed) { this.random = new Random(seed ^ 0xFA0175L); }

    @Override public synchronized Faults next(Fault... f) { for (Fault x : f) queue.add(x); return this; }

    @Override
    public synchronized Faults rate(double p, Fault... kinds) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("p must be in [0,1]");
        this.p = kinds.length == 0 ? 0 : p;
        this.kinds = kinds.clone();
        return this;
    }

    @Override
    public synchronized Faults clear() { queue.clear(); p = 0; kinds = new Fault[0]; heavyLimit = 0; return this; }

    @Override public Faults slowDelay(Duration d) { slow = d; return this; }

    @Override public Faults retryAfter(Duration d) { retryAfter = d; return this; }

    @Override public Faults badGatewayAboveLimit(int limit) { heavyLimit = limit; return this; }

    @Override public synchronized int pending() { return queue.size(); }

    @Override public long injected() { return injected.get(); }

    Duration slowDelay() { return slow; }

    Duration retryAfterValue() { return retryAfter; }

    int heavyLimit() { return heavyLimit; }

    void count() { injected.incrementAndGet(); }

    /** The fault for this request, or null. */
    synchronized Fault poll() {
        Fault f = queue.poll();
        if (f == null && p > 0 && random.nextDouble() < p) f = kinds[random.nextInt(kinds.length)];
        if (f != null) injected.incrementAndGet();
        return f;
    }
}
