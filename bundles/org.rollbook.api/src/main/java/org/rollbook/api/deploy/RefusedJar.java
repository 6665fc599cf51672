package org.rollbook.api.deploy;

import java.time.Instant;

/**
 * A jar in the {@code deploy/} folder that was not installed.
 *
 * @param file   its path relative to the server's working directory, e.g. {@code deploy/notes.jar}
 * @param reason why, as written to {@code <name>.jar.error}
 * @param at     when it was refused
 */
public record RefusedJar(String file, String reason, Instant at) {
}
