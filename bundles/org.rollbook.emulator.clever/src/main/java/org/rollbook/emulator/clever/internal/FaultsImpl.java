package org.rollbook.emulator.clever.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.rollbook.emulator.clever.Fault;
import org.rollbook.emulator.clever.Faults;

final class FaultsImpl implements Faults {
    private final Deque<Fault> queue = new ArrayDeque<>();
    private final Random random;
    private final Consumer<String> revoker;
    private final AtomicLong injected = new AtomicLong();
    private double rate;
    private Fault[] kinds = new Fault[0];

    FaultsImpl(long seed, Consumer<String> revoker) {
        this.random = new Random(Ids.mix(seed ^ 0xFA17L));
        this.revoker = revoker;
    }

    @Override
    public synchronized Faults next(Fault... faults) {
        for (Fault f : faults) {
            queue.add(java.util.Objects.requireNonNull(f));
        }
        return this;
    }

    @Override
    public synchronized Faults rate(double p, Fault... kinds) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("rate must be in [0, 1]: " + p);
        }
        if (p > 0 && kinds.length == 0) {
            throw new IllegalArgumentException("name the fault kinds to inject");
        }
        this.rate = p;
        this.kinds = kinds.clone();
        return this;
    }

    @Override
    public synchronized Faults clear() {
        queue.clear();
        rate = 0;
        kinds = new Fault[0];
        return this;
    }

    @Override
    public Faults revokeToken(String token) {
        revoker.accept(token);
        return this;
    }

    @Override
    public synchronized int queued() {
        return queue.size();
    }

    @Override
    public long injected() {
        return injected.get();
    }

    /** The fault for the next API request, or null. */
    synchronized Fault poll() {
        Fault f = queue.poll();
        if (f == null && rate > 0 && random.nextDouble() < rate) {
            f = kinds[random.nextInt(kinds.length)];
        }
        if (f != null) {
            injected.incrementAndGet();
        }
        return f;
    }
}
