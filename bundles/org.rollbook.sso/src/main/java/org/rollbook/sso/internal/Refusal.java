package org.rollbook.sso.internal;

/** A sign-in that cannot go on: the HTTP status and what the person at the browser is told. */
final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Refusal(int status, String message) {
        super(message);
        this.status = status;
    }
}
