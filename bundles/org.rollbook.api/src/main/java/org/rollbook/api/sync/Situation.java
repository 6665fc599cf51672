package org.rollbook.api.sync;

/** Where a roster record landed when it was matched against the patrons (SPEC §4.1). */
public enum Situation {
    /** The GUID matched exactly one patron. */
    LINKED,
    /** No GUID match; exactly one patron matched on the next keys and no key pointed elsewhere: link it. */
    UNLINKED,
    /** Nothing matched: a new patron. */
    UNMATCHED,
    /** Two patrons match one key, or two keys point at different patrons: nothing changes. */
    DISPUTED,
    /** The record cannot be placed (school not mapped, type not enabled, invalid): nothing changes. */
    SKIPPED,
    /** A linked patron missing from a complete full sync: marked Transferred. Not a roster record. */
    ABSENT
}
