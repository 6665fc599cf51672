package org.rollbook.api.store;

import java.util.List;

/**
 * Writes that commit together. {@code operationId} is recorded as the provenance of every field
 * written (0 for writes made outside an operation, e.g. by an admin).
 */
public record PatronBatch(long operationId, List<PatronWrite> writes) {

    public PatronBatch {
        writes = List.copyOf(writes);
    }
}
