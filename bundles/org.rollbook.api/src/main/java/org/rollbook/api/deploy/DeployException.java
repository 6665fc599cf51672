package org.rollbook.api.deploy;

/** A connector jar was refused or could not be (un)installed; the message says why in words an admin acts on. */
public class DeployException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure, e.g. for choosing an HTTP status. */
    public enum Reason {
        /** Not a readable jar, not an OSGi bundle, not a connector, or one of the server's own bundles (400). */
        REFUSED,
        /** Larger than the configured limit (413). */
        TOO_LARGE,
        /** No such connector bundle (404). */
        NOT_FOUND,
        /** Conflicts with how the connector is installed, e.g. it comes from the deploy folder (409). */
        CONFLICT,
        /** A valid connector that the framework could not install, resolve or start (500). */
        FAILED
    }

    private final Reason reason;

    public DeployException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DeployException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
