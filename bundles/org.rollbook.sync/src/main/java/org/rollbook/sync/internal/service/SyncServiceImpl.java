package org.rollbook.sync.internal.service;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.rollbook.api.roster.RosterConnector;
import org.rollbook.api.store.OperationStore;
import org.rollbook.api.store.PatronStore;
import org.rollbook.api.store.ResultPage;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.LogFormat;
import org.rollbook.api.sync.LogQuery;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.Situation;
import org.rollbook.api.sync.SyncException;
import org.rollbook.api.sync.SyncRequest;
import org.rollbook.api.sync.SyncService;
import org.rollbook.api.sync.Trigger;
import org.rollbook.sync.internal.engine.ConnectorInUse;
import org.rollbook.sync.internal.engine.RunSettings;
import org.rollbook.sync.internal.engine.SyncEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync service: one run at a time on its own thread, one more queued at most; Daily Operations;
 * retention. The live connector is whichever {@link RosterConnector} the target filter
 * ({@code connector.target}) selects; the integration switch sets it.
 */
@Component(service = SyncService.class, configurationPid = SyncServiceImpl.PID, immediate = true)
@Designate(ocd = SyncConfiguration.class)
public class SyncServiceImpl implements SyncService {

    static final String PID = "org.rollbook.sync";
    private static final Logger LOG = LoggerFactory.getLogger(SyncServiceImpl.class);

    private final PatronStore patrons;
    private final OperationStore operations;
    private final SyncEngine engine;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> thread(r, "rollbook-sync"));
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "rollbook-daily"));
    private final Set<Long> cancelRequested = ConcurrentHashMap.newKeySet();

    private volatile RunSettings settings;
    private volatile SyncConfiguration config;
    private volatile ScheduledFuture<?> daily;
    private long running;
    private long queued;

    private volatile RosterConnector connector;
    /** The bound connector's service reference and bundle, to name it in operations and to see it go mid-run. */
    private volatile Live live;

    private record Live(RosterConnector connector, ServiceReference<RosterConnector> reference, String bundle) {
    }

    @Activate
    public SyncServiceImpl(SyncConfiguration config, @Reference PatronStore patrons, @Reference OperationStore operations) {
        this.patrons = patrons;
        this.operations = operations;
        this.engine = new SyncEngine(patrons, operations, Path.of(patrons.status().location()).resolve("operations"));
        configure(config);
        int interrupted = operations.interruptUnfinished();
        if (interrupted > 0) {
            LOG.warn("{} operation(s) did not finish before the server stopped; marked interrupted", interrupted);
        }
        try {
            engine.removeStalePlans();
        } catch (IOException e) {
            LOG.warn("cannot clean up old plans: {}", e.getMessage());
        }
        purge();
    }

    @Modified
    void configure(SyncConfiguration c) {
        this.settings = Settings.of(c);
        LocalTime at = Settings.dailyTime(c);
        this.config = c;
        ScheduledFuture<?> previous = daily;
        if (previous != null) {
            previous.cancel(false);
        }
        daily = at == null ? null : clock.schedule(() -> dailyRun(at), delayUntil(at), TimeUnit.MILLISECONDS);
    }

    @Override
    public void checkSettings(java.util.Map<String, ?> properties) {
        SyncConfiguration c = org.rollbook.api.config.ConfigProxy.of(SyncConfiguration.class, properties);
        Settings.of(c);
        Settings.dailyTime(c);
        for (String[] n : new String[][] {{"fullSyncEveryDays", "" + c.fullSyncEveryDays()}, {"retentionDays", "" + c.retentionDays()},
                {"batchSize", "" + c.batchSize()}}) {
            if (Integer.parseInt(n[1]) < 1) {
                throw new IllegalArgumentException(n[0] + " must be at least 1, not " + n[1]);
            }
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        synchronized (this) {
            if (running != 0) {
                cancelRequested.add(running);
            }
        }
        clock.shutdownNow();
        runner.shutdown();
        if (!runner.awaitTermination(60, TimeUnit.SECONDS)) {
            runner.shutdownNow();
        }
    }

    /** Connector bundles come and go while the server runs (SPEC §6): a replacement binds before the old unbinds. */
    @Reference(name = "connector", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindConnector")
    void bindConnector(RosterConnector c, ServiceReference<RosterConnector> reference) {
        Bundle b = reference.getBundle();
        live = new Live(c, reference, b == null ? null : b.getSymbolicName() + " " + b.getVersion());
        connector = c;
    }

    void unbindConnector(RosterConnector c, ServiceReference<RosterConnector> reference) {
        Live l = live;
        if (l != null && l.connector() == c) {
            connector = null;
            live = null;
        }
    }

    /** The connector a run reads from; it went away when its service is unregistered (or, unbound, replaced). */
    private ConnectorInUse inUse(RosterConnector c) {
        Live l = live;
        if (l != null && l.connector() == c) {
            return new ConnectorInUse(c, l.bundle(), () -> l.reference().getBundle() == null);
        }
        return new ConnectorInUse(c, null, () -> connector != c);
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static String integration(RosterConnector c) {
        return c.provider() + ":" + c.account();
    }

    // ------------------------------------------------------------------ runs

    @Override
    public Operation start(SyncRequest request) {
        RosterConnector c = connector;
        if (c == null) {
            throw new SyncException("no roster provider is connected: set up Clever or ClassLink first");
        }
        synchronized (this) {
            String integration = integration(c);
            refuseWhileHeld(integration);
            if (queued != 0) {
                throw new SyncException("operation " + queued + " is already queued behind operation " + running
                        + "; it will run next");
            }
            Operation op = operations.createOperation(integration, request.kind(), request.trigger(), request.preview(),
                    request.types().isEmpty() ? settings.types() : request.types(), 0);
            if (running != 0) {
                queued = op.id();
            }
            runner.submit(() -> runQueued(op.id()));
            return op;
        }
    }

    private void refuseWhileHeld(String integration) {
        for (Operation o : operations.operations(0, 50)) {
            if (o.status() == OperationStatus.HELD && o.integration().equals(integration)) {
                throw new SyncException("operation " + o.id() + " is held for approval: approve or reject it first");
            }
        }
    }

    private void runQueued(long id) {
        Optional<Operation> op = begin(id);
        if (op.isEmpty()) {
            return;
        }
        try {
            RosterConnector c = connector;
            Operation o = op.get();
            if (c == null || !integration(c).equals(o.integration())) {
                operations.updateOperation(id, OperationStatus.FAILED, "the roster provider " + o.integration()
                        + " is no longer connected; nothing was written");
                return;
            }
            Operation done = engine.run(o, inUse(c), settings, () -> cancelRequested.contains(id));
            LOG.info("operation {} {}: {}", id, done.status().name().toLowerCase(), done.message());
        } catch (RuntimeException | LinkageError e) {
            // never leave an operation running: a LinkageError comes from a connector bundle that was swapped out
            LOG.error("operation {} failed", id, e);
            operations.updateOperation(id, OperationStatus.FAILED, "failed: " + e.getMessage());
        } finally {
            end(id);
        }
    }

    /** The operation if it is still queued, now marked as the running one. */
    private synchronized Optional<Operation> begin(long id) {
        if (queued == id) {
            queued = 0;
        }
        Optional<Operation> op = operations.operation(id).filter(o -> o.status() == OperationStatus.QUEUED);
        if (op.isPresent()) {
            running = id;
        }
        return op;
    }

    private synchronized void end(long id) {
        running = 0;
        cancelRequested.remove(id);
    }

    @Override
    public Operation cancel(long id) {
        Operation op = require(id);
        synchronized (this) {
            switch (op.status()) {
                case QUEUED:
                    return operations.updateOperation(id, OperationStatus.CANCELLED, "cancelled before it started");
                case RUNNING:
                    cancelRequested.add(id);
                    return op;
                case HELD:
                    return engine.reject(op);
                default:
                    throw new SyncException("operation " + id + " has already finished (" + op.status().name().toLowerCase() + ")");
            }
        }
    }

    @Override
    public Operation approve(long id) {
        Operation op = requireHeld(id);
        Operation queuedOp = operations.updateOperation(id, OperationStatus.QUEUED, "approved; waiting to be applied");
        runner.submit(() -> {
            Optional<Operation> o = begin(id);
            if (o.isEmpty()) {
                return;
            }
            try {
                engine.approve(op, settings.batchSize(), () -> cancelRequested.contains(id));
            } catch (RuntimeException e) {
                LOG.error("applying operation {} failed", id, e);
                operations.updateOperation(id, OperationStatus.FAILED, "failed: " + e.getMessage());
            } finally {
                end(id);
            }
        });
        return queuedOp;
    }

    @Override
    public Operation reject(long id) {
        return engine.reject(requireHeld(id));
    }

    @Override
    public Operation undo(long id) {
        Operation target = require(id);
        if (target.preview() || target.status() != OperationStatus.COMPLETED) {
            throw new SyncException("operation " + id + " wrote nothing that could be undone ("
                    + (target.preview() ? "a preview" : target.status().name().toLowerCase()) + ")");
        }
        synchronized (this) {
            if (running != 0 || queued != 0) {
                throw new SyncException("a run is in progress (operation " + (running != 0 ? running : queued)
                        + "); undo when it has finished");
            }
            Operation last = operations.latestApplied(target.integration()).orElse(target);
            if (last.id() != id) {
                throw new SyncException("only the last applied run can be undone; that is operation " + last.id());
            }
            List<Long> touched = operations.touchedLater(id, 5);
            if (!touched.isEmpty()) {
                throw new SyncException("a later run changed patrons this run wrote (" + touched
                        + (touched.size() == 5 ? ", …" : "") + "); undoing it would overwrite that");
            }
            Operation undo = operations.createOperation(target.integration(), OperationKind.UNDO, Trigger.MANUAL, false,
                    target.types(), id);
            running = undo.id();
            runner.submit(() -> {
                try {
                    operations.operation(undo.id()).filter(o -> o.status() == OperationStatus.QUEUED)
                            .ifPresent(o -> engine.undo(o, settings.batchSize(), () -> cancelRequested.contains(undo.id())));
                } catch (RuntimeException e) {
                    LOG.error("undo {} failed", undo.id(), e);
                    operations.updateOperation(undo.id(), OperationStatus.FAILED, "failed: " + e.getMessage());
                } finally {
                    end(undo.id());
                }
            });
            return undo;
        }
    }

    private Operation require(long id) {
        return operations.operation(id).orElseThrow(() -> new SyncException("there is no operation " + id));
    }

    private Operation requireHeld(long id) {
        Operation op = require(id);
        if (op.status() != OperationStatus.HELD) {
            throw new SyncException("operation " + id + " is not held (it is " + op.status().name().toLowerCase() + ")");
        }
        return op;
    }

    // ------------------------------------------------------------------ reading

    @Override
    public Optional<Operation> operation(long id) {
        return operations.operation(id);
    }

    @Override
    public List<Operation> operations(int offset, int limit) {
        return operations.operations(offset, limit);
    }

    @Override
    public ResultPage<LogEntry> log(long id, LogQuery query) {
        require(id);
        return operations.log(id, query);
    }

    @Override
    public void download(long id, LogQuery filter, LogFormat format, OutputStream out) throws IOException {
        Operation op = require(id);
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write(format == LogFormat.CSV ? LogFormats.CSV_HEADER + "\r\n" : LogFormats.textHeader(op));
        try {
            operations.forEachLog(id, filter, e -> {
                try {
                    w.write(format == LogFormat.CSV ? LogFormats.csv(e) : LogFormats.text(e));
                } catch (IOException io) {
                    throw new UncheckedIOException(io);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        w.flush();
    }

    @Override
    public List<LogEntry> disputes() {
        RosterConnector c = connector;
        if (c == null) {
            return List.of();
        }
        return operations.latestApplied(integration(c))
                .map(op -> operations.log(op.id(), new LogQuery(Situation.DISPUTED, null, null, null, 0, LogQuery.MAX_LIMIT)).items())
                .orElse(List.of());
    }

    // ------------------------------------------------------------------ Daily Operations and retention

    private void dailyRun(LocalTime at) {
        try {
            RosterConnector c = connector;
            if (c != null) {
                boolean fullDue = operations.state(integration(c), "lastFullSync").map(Instant::parse)
                        .map(last -> last.isBefore(Instant.now().minus(Duration.ofDays(Math.max(1, config.fullSyncEveryDays())))))
                        .orElse(true);
                OperationKind kind = fullDue ? OperationKind.FULL : OperationKind.INCREMENTAL;
                start(new SyncRequest(kind, false, Set.of(), Trigger.SCHEDULED));
            }
        } catch (SyncException e) {
            LOG.warn("Daily Operations did not run: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Daily Operations failed", e);
        } finally {
            purge();
            if (!clock.isShutdown()) {
                daily = clock.schedule(() -> dailyRun(at), delayUntil(at), TimeUnit.MILLISECONDS);
            }
        }
    }

    static long delayUntil(LocalTime at) {
        LocalDateTime now = LocalDateTime.now();
        LocalDateTime next = now.toLocalDate().atTime(at);
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        return ChronoUnit.MILLIS.between(now, next);
    }

    private void purge() {
        try {
            int n = operations.purgeFinishedBefore(Instant.now().minus(Duration.ofDays(Math.max(1, config.retentionDays()))));
            if (n > 0) {
                LOG.info("deleted {} operation(s) older than {} days", n, config.retentionDays());
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot delete old operations: {}", e.getMessage());
        }
    }
}
