package org.rollbook.api.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.sync.Count;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.LogQuery;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.Trigger;

/**
 * Where operations, their logs and counts, and each integration's state (cursors, checkpoints) are
 * persisted, beside the patrons so that a batch commits its patrons and its bookkeeping together
 * (see {@link PatronBatch}). Implemented by the same component as {@link PatronStore}.
 */
@ProviderType
public interface OperationStore {

    /** A new operation, QUEUED, created now. */
    Operation createOperation(String integration, OperationKind kind, Trigger trigger, boolean preview,
            Set<PatronType> types, long undoOf);

    /**
     * Moves an operation to a status with a message (null keeps the message). Entering RUNNING sets
     * {@code started} if unset; entering a finished status sets {@code finished}.
     */
    Operation updateOperation(long operationId, OperationStatus status, String message);

    void updateProgress(long operationId, long processed, long expected);

    /** Replaces an operation's counts (previews and held plans, where nothing is committed). */
    void setCounts(long operationId, List<Count> counts);

    Optional<Operation> operation(long operationId);

    /** Newest first. */
    List<Operation> operations(int offset, int limit);

    /** The newest COMPLETED operation of the integration that was not a preview, if any. */
    Optional<Operation> latestApplied(String integration);

    /** Appends log lines (seq assigned by the store) outside any patron batch. */
    void appendLog(long operationId, List<LogEntry> entries);

    ResultPage<LogEntry> log(long operationId, LogQuery query);

    /** Every matching log line in seq order (offset and limit ignored), streamed. */
    void forEachLog(long operationId, LogQuery filter, Consumer<LogEntry> consumer);

    /**
     * Patrons this operation created or updated that a later, non-preview operation also created or
     * updated (at most {@code limit} ids).
     */
    List<Long> touchedLater(long operationId, int limit);

    Optional<String> state(String integration, String key);

    /** Sets (or with null, removes) one state value outside any batch. */
    void setState(String integration, String key, String value);

    /** Removes every state value of the integration (its cursors and checkpoints). */
    void clearState(String integration);

    /** On start: marks RUNNING operations INTERRUPTED and QUEUED ones CANCELLED; returns how many. */
    int interruptUnfinished();

    /** Deletes finished operations (and their logs and counts) that finished before the cutoff. */
    int purgeFinishedBefore(Instant cutoff);
}
