package org.rollbook.sync.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.rollbook.api.patron.Patron;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronStatus;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.roster.FetchKind;
import org.rollbook.api.roster.FetchReport;
import org.rollbook.api.roster.FetchRequest;
import org.rollbook.api.roster.RosterConnector;
import org.rollbook.api.roster.RosterException;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterSink;
import org.rollbook.api.store.BatchSource;
import org.rollbook.api.store.OperationStore;
import org.rollbook.api.store.PatronBatch;
import org.rollbook.api.store.PatronKeys;
import org.rollbook.api.store.PatronStore;
import org.rollbook.api.store.PatronWrite;
import org.rollbook.api.store.StoreException;
import org.rollbook.api.sync.FieldChange;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.Outcome;
import org.rollbook.api.sync.Situation;
import org.rollbook.sync.internal.mapping.FieldMapping;

/**
 * Runs one operation: fetch the roster page by page, plan each batch to a spool file, add the absent
 * patrons of a complete full sync, then preview, hold or apply. Applying commits batch by batch, each
 * batch with its log lines, counts and the integration's checkpoint in one transaction, so a crash
 * leaves whole batches and the next run finishes the work. Plain Java: the OSGi service wraps it.
 */
public final class SyncEngine {

    /** Integration state keys. */
    static final String CURSOR = "cursor";
    static final String LAST_FULL_SYNC = "lastFullSync";

    private final PatronStore patrons;
    private final OperationStore operations;
    private final Path spoolDirectory;

    public SyncEngine(PatronStore patrons, OperationStore operations, Path spoolDirectory) {
        this.patrons = patrons;
        this.operations = operations;
        this.spoolDirectory = spoolDirectory;
    }

    PlanSpool spool(long operationId) {
        return new PlanSpool(spoolDirectory, operationId);
    }

    /** Deletes the plans of operations that can no longer be applied (everything but held runs). */
    public void removeStalePlans() throws IOException {
        if (!Files.isDirectory(spoolDirectory)) {
            return;
        }
        try (var files = Files.list(spoolDirectory)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                int dot = name.indexOf('.');
                try {
                    long id = Long.parseLong(dot < 0 ? name : name.substring(0, dot));
                    boolean held = operations.operation(id).map(o -> o.status() == OperationStatus.HELD).orElse(false);
                    if (!held) {
                        Files.deleteIfExists(f);
                    }
                } catch (NumberFormatException notOurs) {
                    // leave files we did not write
                }
            }
        }
    }

    // ------------------------------------------------------------------ sync

    /** Runs a queued FULL or INCREMENTAL operation to its end (completed, held, failed or cancelled). */
    public Operation run(Operation op, RosterConnector connector, RunSettings settings, BooleanSupplier cancelled) {
        return run(op, ConnectorInUse.of(connector), settings, cancelled);
    }

    /**
     * Runs a queued FULL or INCREMENTAL operation with a connector that may go away while the roster is read
     * (a hot-swapped bundle): then the run fails, having written nothing. The connector's bundle is named in the
     * operation's message.
     */
    public Operation run(Operation op, ConnectorInUse source, RunSettings settings, BooleanSupplier cancelled) {
        long id = op.id();
        RosterConnector connector = source.connector();
        String by = source.note();
        operations.updateOperation(id, OperationStatus.RUNNING, "reading the roster" + (source.bundle() == null ? ""
                : " with " + source.bundle()));
        RunSettings runSettings = settings.withTypes(op.types().isEmpty() ? settings.types() : op.types());
        FieldMapping mapping;
        try {
            mapping = FieldMapping.forProvider(connector.provider(), runSettings.mapping());
        } catch (IllegalArgumentException e) {
            return operations.updateOperation(id, OperationStatus.FAILED, "the field mapping is not valid: " + e.getMessage() + by);
        }
        RunContext run = new RunContext(id, op.integration(), runSettings, mapping, patrons.sites());
        List<String> notes = new ArrayList<>();
        FetchRequest request = fetchRequest(op, runSettings, notes);
        boolean full = request.kind() == FetchKind.FULL; // becomes true when the connector had to read everything
        if (full) {
            run.linked = LinkedDigests.load(patrons, op.integration());
        }
        PlanSpool spool = spool(id);
        EarlyLoad early = loadsEarly(op, full, runSettings) ? EarlyLoad.start(patrons, run) : null;
        try {
            FetchReport report;
            try (PlanSpool.Writer plan = spool.writer()) {
                // a connector that went away stops reading as if cancelled; the check after the fetch fails the run
                Sink sink = new Sink(new BatchPlanner(patrons, run), plan, runSettings.batchSize(),
                        () -> cancelled.getAsBoolean() || source.wentAway(), op, early);
                try {
                    report = connector.fetch(request, sink);
                } catch (RosterException e) {
                    spool.delete();
                    return operations.updateOperation(id, OperationStatus.FAILED, source.wentAway() ? source.wentAwayMessage()
                            : "the roster could not be read: " + e.getMessage() + ". Nothing was written." + by);
                } catch (LinkageError e) {
                    // the classes of an updated or uninstalled bundle can no longer be loaded
                    spool.delete();
                    return operations.updateOperation(id, OperationStatus.FAILED, source.wentAway() ? source.wentAwayMessage()
                            : "the connector failed: " + describe(e) + ". Nothing was written." + by);
                }
                if (source.wentAway()) {
                    // whatever it returned may be partial: no updates, no absences
                    spool.delete();
                    return operations.updateOperation(id, OperationStatus.FAILED, source.wentAwayMessage());
                }
                sink.flush();
                if (report.performed() == FetchKind.FULL && !full) {
                    full = true;
                    notes.add(report.note() == null ? "the provider sent the whole roster" : report.note());
                }
                if (cancelled.getAsBoolean()) {
                    spool.delete();
                    return operations.updateOperation(id, OperationStatus.CANCELLED, "cancelled while reading the roster; nothing was written." + by);
                }
                if (full && report.complete()) {
                    if (!run.storeEmpty) { // else the run's load holds the store empty: nobody is absent
                        planAbsent(run, plan);
                    }
                } else if (full) {
                    notes.add("the roster was not read completely (" + report.incompleteReason()
                            + "): updates only, nobody was marked Transferred for being absent");
                }
            } catch (IOException e) {
                spool.delete();
                return operations.updateOperation(id, OperationStatus.FAILED, "cannot write the plan: " + e.getMessage() + by);
            } catch (RuntimeException e) {
                spool.delete();
                return operations.updateOperation(id, OperationStatus.FAILED, source.wentAway() ? source.wentAwayMessage()
                        : "planning failed: " + describe(e) + ". Nothing was written." + by);
            }
            Map<String, String> finalState = new HashMap<>();
            if (report.cursor() != null) {
                finalState.put(CURSOR, report.cursor());
            }
            if (full && report.complete()) {
                finalState.put(LAST_FULL_SYNC, Instant.now().toString());
            }
            String summary = run.planned.summary(run.transfers.total());
            String noteText = (notes.isEmpty() ? "" : " " + String.join(". ", notes) + ".") + by;
            if (op.preview()) {
                return preview(op, spool, run, summary + "." + noteText, runSettings.batchSize());
            }
            // a load that holds the table empty cannot be held (loadsEarly), and the guard's counts would wait for it
            List<String> breaches = run.storeEmpty ? List.of() : new SafetyGuard(patrons).breaches(run);
            try {
                writeMeta(spool, finalState, noteText);
            } catch (IOException e) {
                spool.delete();
                return operations.updateOperation(id, OperationStatus.FAILED, "cannot write the plan: " + e.getMessage());
            }
            if (!breaches.isEmpty()) {
                operations.setCounts(id, run.planned.counts());
                return operations.updateOperation(id, OperationStatus.HELD, "held before writing anything: "
                        + String.join("; ", breaches) + ". Planned: " + summary + "." + noteText
                        + " Approve to apply this plan, or reject it.");
            }
            operations.updateProgress(id, 0, run.planned.total());
            return apply(op, runSettings.batchSize(), cancelled, false, early);
        } finally {
            if (early != null) {
                early.abort(); // the run stopped before its load ended: nothing of it is kept
            }
        }
    }

    /**
     * Whether a run loads the store while it reads the roster ({@link EarlyLoad}): a full, real run into a
     * store without patrons whose safety hold cannot stop it (an empty store has nobody to transfer and no
     * share to compare with; only a count limit on creates could hold it).
     */
    private boolean loadsEarly(Operation op, boolean full, RunSettings settings) {
        return full && !op.preview() && settings.holdCreates().count() == 0 && patrons.status().patrons() == 0;
    }

    private FetchRequest fetchRequest(Operation op, RunSettings settings, List<String> notes) {
        if (op.kind() == OperationKind.INCREMENTAL) {
            String cursor = operations.state(op.integration(), CURSOR).orElse(null);
            if (cursor != null) {
                return new FetchRequest(FetchKind.CHANGES, settings.types(), cursor);
            }
            notes.add("no changes cursor yet: read the whole roster instead");
        }
        return new FetchRequest(FetchKind.FULL, settings.types(), null);
    }

    /** Buffers streamed records into batches and plans each into the spool. */
    private final class Sink implements RosterSink {
        private final BatchPlanner planner;
        private final PlanSpool.Writer plan;
        private final int batchSize;
        private final BooleanSupplier cancelled;
        private final Operation op;
        /** The load taking each planned batch, while it goes on; null for none. */
        private EarlyLoad early;
        private final List<RosterRecord> buffer = new ArrayList<>();
        private long expected;

        Sink(BatchPlanner planner, PlanSpool.Writer plan, int batchSize, BooleanSupplier cancelled, Operation op,
                EarlyLoad early) {
            this.planner = planner;
            this.plan = plan;
            this.batchSize = batchSize;
            this.cancelled = cancelled;
            this.op = op;
            this.early = early;
        }

        @Override
        public void accept(RosterRecord record) {
            buffer.add(record);
            if (buffer.size() >= batchSize) {
                flush();
            }
        }

        @Override
        public void expect(PatronType type, long total) {
            expected += total;
        }

        @Override
        public boolean cancelled() {
            return cancelled.getAsBoolean();
        }

        void flush() {
            if (buffer.isEmpty()) {
                return;
            }
            List<PlanItem> items = planner.plan(buffer);
            try {
                for (PlanItem item : items) {
                    plan.add(item);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            buffer.clear();
            if (early != null && !early.offer(batchOf(op, items, Map.of(), -1, new Tally(), new long[1]), items.size())) {
                early = null; // the store declined or refused: the plan is written batch by batch once complete
            }
            operations.updateProgress(op.id(), plan.items(), expected);
        }
    }

    /** A complete full sync: every linked patron of the synced types the roster did not deliver is Transferred. */
    private void planAbsent(RunContext run, PlanSpool.Writer plan) throws IOException {
        List<Long> absent = new ArrayList<>();
        patrons.forEachLinked(run.integration, (PatronKeys k) -> {
            if (!run.seenGuids.contains(k.guid()) && run.settings.types().contains(k.type())
                    && k.status() != PatronStatus.TRANSFERRED) {
                absent.add(k.id());
            }
        });
        absent.sort(null); // the store streams them in no particular order; the log lists them by id
        for (int from = 0; from < absent.size(); from += 500) {
            List<Patron> batch = patrons.patrons(absent.subList(from, Math.min(absent.size(), from + 500)));
            for (Patron p : batch) {
                FieldChange change = new FieldChange(PatronField.STATUS, p.status().fieldValue(),
                        PatronStatus.TRANSFERRED.fieldValue());
                LogEntry e = new LogEntry(0, Situation.ABSENT, Outcome.UPDATED, p.type(), p.get(PatronField.SITE),
                        p.get(PatronField.GUID), p.id(), "guid", List.of(), List.of(),
                        "not on the roster of a complete full sync", List.of(change));
                PlanItem item = PlanItem.write(PatronWrite.update(p.id(), run.integration,
                        Map.of(PatronField.STATUS, PatronStatus.TRANSFERRED.fieldValue())), e);
                plan.add(item);
                run.planned.add(e);
                run.transfers.add(e);
            }
        }
    }

    /** Logs the plan as an apply would (per batch, the writes' lines first), and writes nothing else. */
    private Operation preview(Operation op, PlanSpool spool, RunContext run, String summary, int batchSize) {
        try (PlanSpool.Reader reader = spool.reader()) {
            for (List<PlanItem> items = reader.next(batchSize); !items.isEmpty(); items = reader.next(batchSize)) {
                List<LogEntry> lines = new ArrayList<>(items.size());
                List<LogEntry> others = new ArrayList<>();
                for (PlanItem i : items) {
                    if (i.write() != null) {
                        lines.add(i.entry());
                    } else if (logged(i.entry())) {
                        others.add(i.entry());
                    }
                }
                lines.addAll(others);
                operations.appendLog(op.id(), lines);
            }
        } catch (IOException e) {
            return operations.updateOperation(op.id(), OperationStatus.FAILED, "cannot read the plan: " + e.getMessage());
        } finally {
            spool.delete();
        }
        operations.setCounts(op.id(), run.planned.counts());
        List<String> breaches = new SafetyGuard(patrons).breaches(run);
        String hold = breaches.isEmpty() ? "" : " A real run would be held: " + String.join("; ", breaches) + ".";
        return operations.updateOperation(op.id(), OperationStatus.COMPLETED,
                "preview, nothing was written: " + summary + hold);
    }

    /** Linked records that change nothing are counted, not logged one by one, unless there is something to say. */
    static boolean logged(LogEntry e) {
        return e.outcome() != Outcome.UNCHANGED || e.reason() != null;
    }

    // ------------------------------------------------------------------ apply

    /** Applies a held run's plan. */
    public Operation approve(Operation held, int batchSize, BooleanSupplier cancelled) {
        if (!spool(held.id()).exists()) {
            return operations.updateOperation(held.id(), OperationStatus.FAILED,
                    "the plan of this held run is gone; run the sync again");
        }
        operations.setCounts(held.id(), List.of());
        operations.updateOperation(held.id(), OperationStatus.RUNNING, "approved; applying the plan");
        return apply(held, batchSize, cancelled, false, null);
    }

    /** Discards a held run's plan. */
    public Operation reject(Operation held) {
        spool(held.id()).delete();
        metaFile(spool(held.id())).toFile().delete();
        return operations.updateOperation(held.id(), OperationStatus.CANCELLED, "rejected: nothing was written");
    }

    /**
     * Writes the spooled plan batch by batch. A sync overwrites what the roster owns with the roster's
     * value; an undo ({@code strict}) only reverts fields still holding what the undone run wrote.
     */
    private Operation apply(Operation op, int batchSize, BooleanSupplier cancelled, boolean strict, EarlyLoad early) {
        long id = op.id();
        PlanSpool spool = spool(id);
        Map<String, String> finalState;
        String notes;
        try {
            Properties meta = readMeta(spool);
            finalState = new HashMap<>();
            for (String k : meta.stringPropertyNames()) {
                if (k.startsWith("state.")) {
                    finalState.put(k.substring("state.".length()), meta.getProperty(k));
                }
            }
            notes = meta.getProperty("notes", "");
        } catch (IOException e) {
            return operations.updateOperation(id, OperationStatus.FAILED, "cannot read the plan: " + e.getMessage());
        }
        operations.updateOperation(id, OperationStatus.RUNNING, "writing");
        if (!strict && !cancelled.getAsBoolean()) {
            Operation loaded = load(op, spool, batchSize, finalState, notes, early);
            if (loaded != null) {
                spool.delete();
                metaFile(spool).toFile().delete();
                return loaded;
            }
        } else if (early != null) {
            early.abort(); // the batches below would wait for its lock
        }
        Tally committed = new Tally();
        long written = 0;
        long transferred = 0;
        try (PlanSpool.Reader reader = spool.reader()) {
            List<PlanItem> items = reader.next(batchSize);
            while (!items.isEmpty()) {
                if (cancelled.getAsBoolean()) {
                    return operations.updateOperation(id, OperationStatus.CANCELLED, "cancelled after " + written
                            + " records were processed: " + committed.summary(transferred)
                            + ". What was written stays; run the sync again to finish.");
                }
                List<PlanItem> next = reader.next(batchSize);
                Tally batchTally = new Tally();
                List<PlanItem> current = recheck(items, strict);
                transferred += commit(op, current, next.isEmpty() ? finalState : Map.of(), written + items.size(),
                        batchTally);
                committed.addAll(batchTally);
                written += items.size();
                items = next;
            }
            if (!finalState.isEmpty() && written == 0) {
                patrons.write(new PatronBatch(id, List.of(), List.of(), List.of(), op.integration(), finalState, 0));
            }
        } catch (IOException e) {
            return operations.updateOperation(id, OperationStatus.FAILED, "cannot read the plan: " + e.getMessage()
                    + ". What was written stays; run the sync again to finish.");
        } catch (RuntimeException e) {
            return operations.updateOperation(id, OperationStatus.FAILED, "writing failed: " + describe(e)
                    + ". Whole batches only were written; run the sync again to finish.");
        } finally {
            spool.delete();
            metaFile(spool).toFile().delete();
        }
        return operations.updateOperation(id, OperationStatus.COMPLETED, committed.summary(transferred) + "." + notes);
    }

    /**
     * Re-reads the patrons a batch updates: a field that already holds the planned value is dropped; the
     * "before" is what the patron holds now. For an undo, a field someone changed since is left alone.
     */
    private List<PlanItem> recheck(List<PlanItem> items, boolean strict) {
        List<Long> ids = new ArrayList<>();
        for (PlanItem i : items) {
            if (i.write() != null && !i.write().isCreate()) {
                ids.add(i.write().patronId());
            }
        }
        if (ids.isEmpty()) {
            return items;
        }
        Map<Long, Patron> now = new HashMap<>();
        for (Patron p : patrons.patrons(ids)) {
            now.put(p.id(), p);
        }
        List<PlanItem> out = new ArrayList<>(items.size());
        for (PlanItem i : items) {
            if (i.write() == null || i.write().isCreate()) {
                out.add(i);
                continue;
            }
            Patron p = now.get(i.write().patronId());
            if (p == null) {
                out.add(PlanItem.logOnly(i.entry().withPatron(i.write().patronId(), Outcome.FAILED,
                        "patron " + i.write().patronId() + " no longer exists")));
                continue;
            }
            List<FieldChange> changes = new ArrayList<>();
            List<String> left = new ArrayList<>();
            for (FieldChange c : i.entry().changes()) {
                String value = p.get(c.field());
                if (java.util.Objects.equals(value, c.after())) {
                    continue;
                }
                if (strict && !java.util.Objects.equals(value, c.before())) {
                    left.add(c.field().label() + " changed since (now '" + value + "')");
                    continue;
                }
                changes.add(new FieldChange(c.field(), value, c.after()));
            }
            String reason = left.isEmpty() ? i.entry().reason()
                    : join(i.entry().reason(), "left as it is: " + String.join(", ", left));
            LogEntry e = new LogEntry(0, i.entry().situation(), changes.isEmpty() ? Outcome.UNCHANGED : Outcome.UPDATED,
                    i.entry().type(), i.entry().site(), i.entry().sourceId(), p.id(), i.entry().key(),
                    i.entry().blankKeys(), i.entry().candidates(), reason, changes);
            if (changes.isEmpty()) {
                out.add(PlanItem.logOnly(e));
            } else {
                Map<PatronField, String> values = new java.util.EnumMap<>(PatronField.class);
                changes.forEach(c -> values.put(c.field(), c.after()));
                // a sync writes every planned field, so the patron agrees with the record; an undo may leave some
                String digest = strict ? null : i.write().rosterDigest();
                out.add(PlanItem.write(new PatronWrite(p.id(), null, null, i.write().integration(), values, null, digest), e));
            }
        }
        return out;
    }

    /** Commits one batch; if the store refuses it, commits record by record and logs the ones refused. */
    private long commit(Operation op, List<PlanItem> items, Map<String, String> state, long processed, Tally tally) {
        try {
            return commitTogether(op, items, state, processed, tally);
        } catch (StoreException batchRefused) {
            long transferred = 0;
            List<PlanItem> failed = new ArrayList<>();
            for (PlanItem i : items) {
                if (i.write() == null) {
                    continue;
                }
                try {
                    Tally one = new Tally();
                    transferred += commitTogether(op, List.of(i), Map.of(), -1, one);
                    tally.addAll(one);
                } catch (StoreException e) {
                    failed.add(PlanItem.logOnly(i.entry().withPatron(i.entry().patronId(), Outcome.FAILED,
                            join(i.entry().reason(), "not written: " + e.getMessage()))));
                }
            }
            List<PlanItem> rest = new ArrayList<>(failed);
            for (PlanItem i : items) {
                if (i.write() == null) {
                    rest.add(i);
                }
            }
            return transferred + commitTogether(op, rest, state, processed, tally);
        }
    }

    private long commitTogether(Operation op, List<PlanItem> items, Map<String, String> state, long processed,
            Tally tally) {
        Tally batch = new Tally();
        long[] transferred = {0};
        patrons.write(batchOf(op, items, state, processed, batch, transferred));
        tally.addAll(batch);
        return transferred[0];
    }

    /** The store batch of plan items: writes with their lines, the other lines, counts; adds to tally and transferred. */
    private PatronBatch batchOf(Operation op, List<PlanItem> items, Map<String, String> state, long processed,
            Tally tally, long[] transferred) {
        List<PatronWrite> writes = new ArrayList<>();
        List<LogEntry> lines = new ArrayList<>();
        Tally batch = new Tally();
        for (PlanItem i : items) {
            batch.add(i.entry());
            if (i.write() != null) {
                writes.add(i.write().withLog(i.entry()));
                for (FieldChange c : i.entry().changes()) {
                    if (c.field() == PatronField.STATUS && PatronStatus.TRANSFERRED.fieldValue().equals(c.after())) {
                        transferred[0]++;
                    }
                }
            } else if (logged(i.entry())) {
                lines.add(i.entry());
            }
        }
        tally.addAll(batch);
        return new PatronBatch(op.id(), writes, lines, batch.counts(), op.integration(), state, processed);
    }

    /**
     * The first sync of a new store: the whole plan in one transaction through the store's bulk load, which
     * builds each index once instead of row by row. Null when the store declines (it holds patrons, or the
     * plan holds more than creates) or refuses the data: then the plan is written batch by batch. The
     * operation's progress is kept up while the store reads the plan.
     */
    private Operation load(Operation op, PlanSpool spool, int batchSize, Map<String, String> finalState,
            String notes, EarlyLoad early) {
        long expected = operations.operation(op.id()).map(Operation::expected).orElse(0L);
        // the store reads the plan twice (the patrons, then the log): each pass is half of the progress shown
        AtomicLong read = early != null ? early.read() : new AtomicLong();
        Tally[] committed = {null};
        long[] transferred = {0};
        long[] items = {0};
        BatchSource source = () -> {
            Tally tally = new Tally();
            committed[0] = tally;
            transferred[0] = 0;
            return new SpoolPass(spool, batchSize, batch -> batchOf(op, batch, Map.of(), -1, tally, transferred),
                    (batch, processed) -> {
                        items[0] = processed;
                        return batchOf(op, batch, finalState, processed, tally, transferred);
                    }, read);
        };
        ScheduledExecutorService progress = Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "rollbook-load-progress-" + op.id());
                    t.setDaemon(true);
                    return t;
                });
        boolean loaded;
        try {
            progress.scheduleWithFixedDelay(() -> {
                try {
                    operations.updateProgress(op.id(), read.get() / 2, expected);
                } catch (RuntimeException ignored) {
                    // progress is a courtesy; the load goes on
                }
            }, 1, 1, TimeUnit.SECONDS);
            loaded = early != null ? early.finish(source::open) : patrons.load(source);
        } catch (StoreException | java.io.UncheckedIOException e) {
            return null; // nothing was written: batch by batch names the records the store refuses
        } finally {
            progress.shutdownNow();
            try {
                progress.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!loaded) {
            return null;
        }
        // after the last progress report: the load's own count of what it committed stands
        operations.updateProgress(op.id(), items[0], expected);
        return operations.updateOperation(op.id(), OperationStatus.COMPLETED,
                committed[0].summary(transferred[0]) + "." + notes);
    }

    /**
     * One pass over the spooled plan as store batches; the last batch carries the final state and the count
     * of items the pass processed. Adds the items it reads to {@code read} (shown as progress).
     */
    private static final class SpoolPass implements BatchSource.Pass {
        private final PlanSpool.Reader reader;
        private final int batchSize;
        private final Function<List<PlanItem>, PatronBatch> middle;
        private final BiFunction<List<PlanItem>, Long, PatronBatch> last;
        private final AtomicLong read;
        private List<PlanItem> ahead;
        private long processed;

        SpoolPass(PlanSpool spool, int batchSize, Function<List<PlanItem>, PatronBatch> middle,
                BiFunction<List<PlanItem>, Long, PatronBatch> last,
                AtomicLong read) {
            PlanSpool.Reader opened = null;
            try {
                opened = spool.reader();
                this.ahead = opened.next(batchSize);
            } catch (IOException e) {
                if (opened != null) {
                    try {
                        opened.close();
                    } catch (IOException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw new java.io.UncheckedIOException(e);
            }
            this.reader = opened;
            this.batchSize = batchSize;
            this.middle = middle;
            this.last = last;
            this.read = read;
        }

        @Override
        public boolean hasNext() {
            return !ahead.isEmpty();
        }

        @Override
        public PatronBatch next() {
            if (ahead.isEmpty()) {
                throw new NoSuchElementException();
            }
            List<PlanItem> items = ahead;
            try {
                ahead = reader.next(batchSize);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            processed += items.size();
            read.addAndGet(items.size());
            return ahead.isEmpty() ? last.apply(items, processed) : middle.apply(items);
        }

        @Override
        public void close() {
            try {
                reader.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    // ------------------------------------------------------------------ undo

    /**
     * Plans the reversal of an earlier run from its log, then applies it strictly: field changes revert
     * where the field still holds what that run wrote, links are undone, status flips go back, and
     * patrons it created are marked Transferred (patrons are never deleted).
     */
    public Operation undo(Operation undo, int batchSize, BooleanSupplier cancelled) {
        long target = undo.undoOf();
        operations.updateOperation(undo.id(), OperationStatus.RUNNING, "planning the undo of operation " + target);
        PlanSpool spool = spool(undo.id());
        Tally planned = new Tally();
        try (PlanSpool.Writer plan = spool.writer()) {
            IOException[] failure = new IOException[1];
            operations.forEachLog(target, org.rollbook.api.sync.LogQuery.all(0, 1), e -> {
                if (failure[0] != null || (e.outcome() != Outcome.CREATED && e.outcome() != Outcome.UPDATED)) {
                    return;
                }
                PlanItem item = reversal(undo, target, e);
                planned.add(item.entry());
                try {
                    plan.add(item);
                } catch (IOException io) {
                    failure[0] = io;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            writeMeta(spool, Map.of(), " Undid operation " + target + ".");
        } catch (IOException e) {
            spool.delete();
            return operations.updateOperation(undo.id(), OperationStatus.FAILED, "cannot write the plan: " + e.getMessage());
        }
        return apply(undo, batchSize, cancelled, true, null);
    }

    private static PlanItem reversal(Operation undo, long target, LogEntry e) {
        List<FieldChange> back = new ArrayList<>();
        String reason;
        if (e.outcome() == Outcome.CREATED) {
            back.add(new FieldChange(PatronField.STATUS, PatronStatus.ACTIVE.fieldValue(),
                    PatronStatus.TRANSFERRED.fieldValue()));
            reason = "created by operation " + target + "; patrons are never deleted, so it is marked Transferred";
        } else {
            for (FieldChange c : e.changes()) {
                back.add(new FieldChange(c.field(), c.after(), c.before()));
            }
            reason = "reverts operation " + target;
        }
        Map<PatronField, String> values = new java.util.EnumMap<>(PatronField.class);
        back.forEach(c -> values.put(c.field(), c.after()));
        LogEntry entry = new LogEntry(0, e.situation(), Outcome.UPDATED, e.type(), e.site(), e.sourceId(), e.patronId(),
                e.key(), List.of(), List.of(), reason, back);
        return PlanItem.write(new PatronWrite(e.patronId(), null, null, undo.integration(), values, null), entry);
    }

    // ------------------------------------------------------------------ plan metadata

    private static Path metaFile(PlanSpool spool) {
        return spool.file().resolveSibling(spool.file().getFileName() + ".meta");
    }

    private static void writeMeta(PlanSpool spool, Map<String, String> state, String notes) throws IOException {
        Properties p = new Properties();
        state.forEach((k, v) -> p.setProperty("state." + k, v));
        p.setProperty("notes", notes);
        try (OutputStream out = Files.newOutputStream(metaFile(spool))) {
            p.store(out, "what applying this plan commits besides the plan");
        }
    }

    private static Properties readMeta(PlanSpool spool) throws IOException {
        Properties p = new Properties();
        Path f = metaFile(spool);
        if (Files.exists(f)) {
            try (InputStream in = Files.newInputStream(f)) {
                p.load(in);
            }
        }
        return p;
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + "; " + b;
    }

    private static String describe(Throwable e) {
        Throwable root = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
