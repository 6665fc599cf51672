package org.rollbook.api.roster;

/** The outcome of testing a connector's settings, with a message an admin can act on. */
public record ConnectionCheck(boolean ok, String message) {
}
