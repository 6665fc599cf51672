package org.rollbook.api.sync;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.rollbook.api.store.ResultPage;

/**
 * Runs syncs and answers for them: what the console, the JSON API and the command line call. One run
 * per integration at a time; a request while one runs is queued (one deep) or refused with a reason.
 */
@ProviderType
public interface SyncService {

    /** Queues a run; returns it as queued. Throws {@link SyncException} when it cannot be queued. */
    Operation start(SyncRequest request);

    /** Cancels a queued, running or held run; a running one stops after its current batch. */
    Operation cancel(long operationId);

    /** Applies a held run's plan. */
    Operation approve(long operationId);

    /** Discards a held run's plan: nothing is written. */
    Operation reject(long operationId);

    /**
     * Reverts the field changes, links and status flips of the last applied run, as a new operation.
     * Refused when it is not the last applied run or a later run touched the same patrons.
     */
    Operation undo(long operationId);

    Optional<Operation> operation(long operationId);

    /** Newest first. */
    List<Operation> operations(int offset, int limit);

    ResultPage<LogEntry> log(long operationId, LogQuery query);

    /** Writes the (filtered) log as text or CSV; the query's offset and limit are ignored. */
    void download(long operationId, LogQuery filter, LogFormat format, OutputStream out) throws IOException;

    /** The disputed records of the latest applied run, for review. */
    List<LogEntry> disputes();

    /**
     * Checks sync settings (the properties of configuration {@code org.rollbook.sync}) before they are
     * saved; throws {@link IllegalArgumentException} naming the first setting that is wrong.
     */
    void checkSettings(java.util.Map<String, ?> properties);
}
