package org.rollbook.api.roster;

/** The provider could not be read; the message says why in terms an admin can act on. */
public class RosterException extends Exception {
    private static final long serialVersionUID = 1L;

    public RosterException(String message) {
        super(message);
    }

    public RosterException(String message, Throwable cause) {
        super(message, cause);
    }
}
