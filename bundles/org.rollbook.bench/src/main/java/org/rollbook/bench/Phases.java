package org.rollbook.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;

import org.rollbook.api.patron.PatronType;
import org.rollbook.api.roster.FetchRequest;
import org.rollbook.api.roster.RosterConnector;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterSink;
import org.rollbook.api.store.OperationStore;
import org.rollbook.api.store.PatronStore;

/**
 * Where a run's wall time goes, measured from outside the engine: the store and the connector are wrapped,
 * so every store call is timed by method, the connector's reading is the time inside {@code fetch} outside
 * the engine's sink, and planning is the time inside the sink outside the store. What remains is the
 * engine's own work (the plan spool, rechecks, bookkeeping). A first sync into an empty store loads on a
 * thread of its own while the engine reads and plans: its {@code store.load} overlaps the other phases, and
 * planning includes the time the planner waited for the load to take a batch.
 */
final class Phases {

    static final String READ = "reading the roster (connector: HTTP + JSON)";
    static final String PLAN = "matching and planning (engine)";
    static final String OTHER = "engine, other (plan spool, apply loop)";

    private final Map<String, Long> nanos = new LinkedHashMap<>();
    /** Time in store calls made by the calling thread (the sink subtracts its own thread's only). */
    private final ThreadLocal<long[]> storeNanos = ThreadLocal.withInitial(() -> new long[1]);

    /** A view of the store that times each call. */
    Object store(Object store) {
        InvocationHandler h = (proxy, method, args) -> {
            long t0 = System.nanoTime();
            try {
                return call(store, method, args);
            } finally {
                long dt = System.nanoTime() - t0;
                storeNanos.get()[0] += dt;
                add("store." + method.getName(), dt);
            }
        };
        return Proxy.newProxyInstance(Phases.class.getClassLoader(), new Class<?>[] {PatronStore.class, OperationStore.class}, h);
    }

    /** A view of the connector whose fetch tells reading from the engine's work on what it read. */
    RosterConnector connector(RosterConnector connector) {
        InvocationHandler h = (proxy, method, args) -> {
            if (!method.getName().equals("fetch")) {
                return call(connector, method, args);
            }
            RosterSink sink = (RosterSink) args[1];
            long[] inSink = {0, 0};
            RosterSink timed = new RosterSink() {
                @Override
                public void accept(RosterRecord record) {
                    long s0 = storeNanos.get()[0];
                    long t0 = System.nanoTime();
                    sink.accept(record);
                    inSink[0] += System.nanoTime() - t0;
                    inSink[1] += storeNanos.get()[0] - s0;
                }

                @Override
                public void expect(PatronType type, long total) {
                    sink.expect(type, total);
                }

                @Override
                public boolean cancelled() {
                    return sink.cancelled();
                }
            };
            long t0 = System.nanoTime();
            try {
                return connector.fetch((FetchRequest) args[0], timed);
            } finally {
                add(READ, System.nanoTime() - t0 - inSink[0]);
                add(PLAN, inSink[0] - inSink[1]);
            }
        };
        return (RosterConnector) Proxy.newProxyInstance(Phases.class.getClassLoader(), new Class<?>[] {RosterConnector.class}, h);
    }

    /** Calls the wrapped object, throwing what it threw. */
    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private synchronized void add(String name, long dt) {
        nanos.merge(name, dt, Long::sum);
    }

    /** Seconds by phase for a run of {@code wallSeconds}, largest first, with the rest as {@link #OTHER}; then resets. */
    synchronized Map<String, Double> take(double wallSeconds) {
        Map<String, Double> out = new LinkedHashMap<>();
        double known = 0;
        for (Map.Entry<String, Long> e : nanos.entrySet()) {
            known += e.getValue() / 1e9;
        }
        nanos.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), round(e.getValue() / 1e9)));
        out.put(OTHER, round(Math.max(0, wallSeconds - known)));
        nanos.clear();
        return out;
    }

    private static double round(double s) {
        return Math.round(s * 100) / 100.0;
    }
}
