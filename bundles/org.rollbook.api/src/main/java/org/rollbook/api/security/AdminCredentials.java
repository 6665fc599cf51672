package org.rollbook.api.security;

/**
 * The administrator's account: a password kept as a salted slow hash, and the token that scripts
 * on the server's machine (the {@code rollbook} command) present instead of signing in.
 */
public interface AdminCredentials {

    /** The administrator's user name. */
    String user();

    /** Whether the name and password are the administrator's (constant time in the password). */
    boolean verify(String user, String password);

    /** Whether a bearer token is the command-line token (constant time). */
    boolean verifyToken(String token);
}
