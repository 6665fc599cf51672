package org.rollbook.api.sync;

/** A sync request was refused; the message says why in words an admin acts on. */
public class SyncException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SyncException(String message) {
        super(message);
    }
}
