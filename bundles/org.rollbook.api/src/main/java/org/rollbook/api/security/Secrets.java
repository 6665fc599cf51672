package org.rollbook.api.security;

/**
 * Seals secrets (client secrets, tokens) for storage in configuration and opens them for use.
 * A sealed value is {@code enc:v1:} followed by the encrypted text; it can be opened only with the
 * server's key file. Values typed by hand in plain text are accepted by {@link #open} as they are
 * (and sealed in place by the server as soon as it sees them).
 */
public interface Secrets {

    /** The prefix of every sealed value. */
    String PREFIX = "enc:v1:";

    /** The sealed form of a secret; blank stays blank, an already sealed value is returned as is. */
    String seal(String plain);

    /** The secret a configuration value holds: sealed values are decrypted, plain ones returned unchanged. */
    String open(String value);

    /** Whether a configuration value is already sealed. */
    static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }
}
