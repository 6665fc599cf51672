package org.rollbook.api.sync;

import java.util.Set;

import org.rollbook.api.patron.PatronType;

/**
 * A request to run a sync. {@code types} empty means the record types the integration is configured
 * to sync.
 */
public record SyncRequest(OperationKind kind, boolean preview, Set<PatronType> types, Trigger trigger) {

    public SyncRequest {
        if (kind == OperationKind.UNDO) {
            throw new IllegalArgumentException("an undo is requested with SyncService.undo");
        }
        types = types == null ? Set.of() : Set.copyOf(types);
    }

    public static SyncRequest full(boolean preview) {
        return new SyncRequest(OperationKind.FULL, preview, Set.of(), Trigger.MANUAL);
    }

    public static SyncRequest incremental(boolean preview) {
        return new SyncRequest(OperationKind.INCREMENTAL, preview, Set.of(), Trigger.MANUAL);
    }
}
