package org.rollbook.security.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.rollbook.api.security.Secrets;

/**
 * AES-256-GCM with a random 96-bit nonce per value: {@code enc:v1:} + base64(nonce ‖ ciphertext ‖ tag).
 * The key is 32 random bytes in {@code secret.key}, created on first use.
 */
final class SecretBox implements Secrets {
    static final String KEY_FILE = "secret.key";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String keyPath;

    SecretBox(PrivateFiles files) {
        if (!files.exists(KEY_FILE)) {
            byte[] k = new byte[32];
            RANDOM.nextBytes(k);
            files.write(KEY_FILE, k);
        }
        files.tighten(KEY_FILE);
        byte[] k = files.read(KEY_FILE);
        if (k.length != 32) {
            throw new IllegalStateException(files.path(KEY_FILE) + " is damaged: a key file holds 32 bytes, this one " + k.length);
        }
        this.key = new SecretKeySpec(k, "AES");
        this.keyPath = files.path(KEY_FILE).toString();
    }

    @Override
    public String seal(String plain) {
        if (plain == null || plain.isEmpty() || Secrets.isSealed(plain)) {
            return plain;
        }
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + ct.length).put(nonce).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a secret: " + e.getMessage(), e);
        }
    }

    @Override
    public String open(String value) {
        if (!Secrets.isSealed(value)) {
            return value;
        }
        try {
            byte[] all = Base64.getDecoder().decode(value.substring(PREFIX.length()));
            if (all.length < 12 + 16) {
                throw new IllegalArgumentException("too short");
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            return new String(c.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a sealed secret cannot be opened with " + keyPath
                    + " (was it sealed with another key file?): enter the secret again", e);
        }
    }
}
