package org.rollbook.http;

import java.io.IOException;

/**
 * A request that did not succeed, after whatever retries were due. {@code status} is the last HTTP
 * status (0 when there was no answer); the message is meant for an admin.
 */
public class RosterHttpException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public RosterHttpException(int status, String message) {
        super(message);
        this.status = status;
    }

    public RosterHttpException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
