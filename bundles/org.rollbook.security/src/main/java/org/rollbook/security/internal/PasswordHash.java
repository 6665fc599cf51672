package org.rollbook.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** PBKDF2-HMAC-SHA256 with a 16-byte random salt: {@code pbkdf2-sha256$iterations$salt$hash} (OWASP's 600,000 iterations). */
final class PasswordHash {
    static final int ITERATIONS = 600_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return format(ITERATIONS, salt, derive(password, salt, ITERATIONS));
    }

    static boolean matches(String password, String stored) {
        String[] p = stored == null ? new String[0] : stored.split("\\$");
        if (p.length != 4 || !p[0].equals("pbkdf2-sha256")) {
            return false;
        }
        Base64.Decoder d = Base64.getDecoder();
        byte[] expected = d.decode(p[3]);
        return MessageDigest.isEqual(expected, derive(password, d.decode(p[2]), Integer.parseInt(p[1])));
    }

    private static String format(int iterations, byte[] salt, byte[] hash) {
        Base64.Encoder e = Base64.getEncoder().withoutPadding();
        return "pbkdf2-sha256$" + iterations + "$" + e.encodeToString(salt) + "$" + e.encodeToString(hash);
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available: " + e.getMessage(), e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
