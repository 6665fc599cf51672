package org.rollbook.api.sync;

/** What was done to the patron of a log entry. */
public enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED,
    /** Nothing was written on purpose (disputed, skipped, or a preview). */
    NONE,
    /** The write was attempted and refused by the store; the reason says why. */
    FAILED
}
