package org.rollbook.cli;

/** Why a command ends early: a one-line message for stderr and the exit code it ends with. */
final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    /** Done: the request succeeded; with --wait, the run completed. */
    static final int OK = 0;
    /** The server refused the request or answered with an error; with --wait, the run failed, was cancelled or interrupted. */
    static final int REFUSED = 1;
    /** The command line is wrong. */
    static final int USAGE = 2;
    /** With --wait: the run is held for approval (over a safety threshold). */
    static final int HELD = 3;
    /** The server could not be talked to: not running, or no token / the token was refused. */
    static final int UNREACHABLE = 4;

    final int exitCode;

    Failure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static Failure usage(String message) {
        return new Failure(USAGE, message + "; see: rollbook help");
    }

    static Failure refused(String message) {
        return new Failure(REFUSED, message);
    }

    static Failure unreachable(String message) {
        return new Failure(UNREACHABLE, message);
    }
}
