package org.rollbook.api.sync;

public enum OperationKind {
    /** Everything the provider shares; absence from a complete fetch means Transferred. */
    FULL,
    /** What changed since the stored cursor. */
    INCREMENTAL,
    /** Reverts the field changes, links and status flips of an earlier run. */
    UNDO
}
