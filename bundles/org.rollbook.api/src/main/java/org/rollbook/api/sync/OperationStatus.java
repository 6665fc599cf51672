package org.rollbook.api.sync;

public enum OperationStatus {
    QUEUED,
    RUNNING,
    /** Over a safety threshold: planned, nothing written, waiting for approve or reject. */
    HELD,
    COMPLETED,
    FAILED,
    /** Cancelled by an admin, or a held run that was rejected. */
    CANCELLED,
    /** The server stopped while it ran; found so on the next start. */
    INTERRUPTED;

    public boolean finished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED || this == INTERRUPTED;
    }
}
