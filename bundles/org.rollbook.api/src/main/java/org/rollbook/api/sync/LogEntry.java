package org.rollbook.api.sync;

import java.util.List;

import org.rollbook.api.patron.PatronType;

/**
 * One line of an operation's log: what happened to one roster record (or, for {@link Situation#ABSENT},
 * to one patron) and why. Linked records that changed nothing are counted, not logged one by one.
 *
 * @param seq        position in the operation's log, from 1 (0 before the store assigned it)
 * @param situation  where the record landed
 * @param outcome    what was done
 * @param type       the record type
 * @param site       the site code the record maps to, or null
 * @param sourceId   the provider's id of the person (GUID), or null
 * @param patronId   the patron written or matched, 0 if none
 * @param key        the key that matched ({@code guid}, {@code barcode}, {@code communityId}, {@code email}), or null
 * @param blankKeys  the keys that were not tried because the record's value was blank
 * @param candidates for a dispute, the patrons that matched
 * @param reason     why, in words an admin reads (dispute, skip, failure, notes on values)
 * @param changes    the fields written, before and after
 */
public record LogEntry(long seq, Situation situation, Outcome outcome, PatronType type, String site, String sourceId,
        long patronId, String key, List<String> blankKeys, List<Long> candidates, String reason,
        List<FieldChange> changes) {

    public LogEntry {
        blankKeys = blankKeys == null ? List.of() : List.copyOf(blankKeys);
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    public LogEntry withSeq(long newSeq) {
        return new LogEntry(newSeq, situation, outcome, type, site, sourceId, patronId, key, blankKeys, candidates,
                reason, changes);
    }

    public LogEntry withPatron(long id, Outcome newOutcome, String newReason) {
        return new LogEntry(seq, situation, newOutcome, type, site, sourceId, id, key, blankKeys, candidates,
                newReason, changes);
    }
}
