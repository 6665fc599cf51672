package org.rollbook.api.store;

import java.util.List;
import java.util.Map;

import org.rollbook.api.sync.Count;
import org.rollbook.api.sync.LogEntry;

/**
 * Everything one batch of a run commits together, in one transaction: the patron writes (with their
 * log lines), log lines that go with no write (disputes, skips, failures), the counts to add to the
 * operation, the integration's checkpoint state (e.g. the provider cursor after this batch) and the
 * operation's progress. After a crash the store holds all of it or none of it.
 *
 * @param operationId recorded as the provenance of every field written; 0 outside an operation
 * @param writes      patrons to create or update
 * @param log         log lines without a write
 * @param counts      added to the operation's counts
 * @param integration whose state {@code state} updates (may be null when {@code state} is empty)
 * @param state       integration state to set with this batch (a null value removes the key)
 * @param processed   the operation's progress after this batch; negative leaves it
 */
public record PatronBatch(long operationId, List<PatronWrite> writes, List<LogEntry> log, List<Count> counts,
        String integration, Map<String, String> state, long processed) {

    public PatronBatch {
        writes = List.copyOf(writes);
        log = log == null ? List.of() : List.copyOf(log);
        counts = counts == null ? List.of() : List.copyOf(counts);
        state = state == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(state));
        if (!state.isEmpty() && integration == null) {
            throw new IllegalArgumentException("state needs the integration it belongs to");
        }
    }

    /** Patron writes only, outside any operation's bookkeeping. */
    public PatronBatch(long operationId, List<PatronWrite> writes) {
        this(operationId, writes, List.of(), List.of(), null, Map.of(), -1);
    }
}
