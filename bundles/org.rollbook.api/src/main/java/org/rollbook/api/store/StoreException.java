package org.rollbook.api.store;

/** A store operation failed; the message is meant for an administrator. Nothing of it was written. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
