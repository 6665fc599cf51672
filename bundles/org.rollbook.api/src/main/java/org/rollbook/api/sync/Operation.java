package org.rollbook.api.sync;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.rollbook.api.patron.PatronType;

/**
 * One run, as persisted. {@code counts} are what was committed (for a preview or a held run: what was
 * planned, nothing having been written).
 *
 * @param id          positive, increasing
 * @param integration the integration it ran for, e.g. {@code clever:5940d254}
 * @param kind        full, incremental or undo
 * @param trigger     manual or scheduled
 * @param preview     true when nothing may be written
 * @param types       the record types it covers
 * @param status      where it is
 * @param created     when it was requested
 * @param started     when it started running, or null
 * @param finished    when it finished, or null
 * @param processed   records processed so far
 * @param expected    records expected in all, 0 when unknown
 * @param message     a one-paragraph summary: why it is held, why incomplete, why it failed
 * @param undoOf      for an undo, the operation it reverts; otherwise 0
 * @param counts      per situation, outcome, type and site
 */
public record Operation(long id, String integration, OperationKind kind, Trigger trigger, boolean preview,
        Set<PatronType> types, OperationStatus status, Instant created, Instant started, Instant finished,
        long processed, long expected, String message, long undoOf, List<Count> counts) {

    public Operation {
        types = Set.copyOf(types);
        counts = counts == null ? List.of() : List.copyOf(counts);
    }
}
