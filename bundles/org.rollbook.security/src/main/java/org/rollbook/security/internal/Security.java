package org.rollbook.security.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Properties;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.rollbook.api.security.AdminCredentials;
import org.rollbook.api.security.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's secrets: the key file that seals client secrets in configuration, the administrator's
 * password hash, and the command-line token — all in one directory readable only by the server's user.
 * <p>
 * First start: the administrator's password is {@code ROLLBOOK_ADMIN_PASSWORD} when set, otherwise a
 * generated one printed once on the console. Setting the variable to another password and restarting
 * resets it.
 */
@Component(configurationPid = Security.PID, service = {Secrets.class, AdminCredentials.class})
@Designate(ocd = SecurityConfiguration.class)
public class Security implements Secrets, AdminCredentials {
    static final String PID = "org.rollbook.security";
    static final String ENV_PASSWORD = "ROLLBOOK_ADMIN_PASSWORD";
    static final String ADMIN_FILE = "admin.properties";
    static final String TOKEN_FILE = "cli.token";
    private static final Logger LOG = LoggerFactory.getLogger(Security.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Letters and digits that cannot be mistaken for each other when copied from a terminal. */
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final String user;
    private final SecretBox box;
    private final String passwordHash;
    private final byte[] token;

    @Activate
    public Security(SecurityConfiguration config) {
        this(config, System.getenv(ENV_PASSWORD));
    }

    Security(SecurityConfiguration config, String envPassword) {
        PrivateFiles files = new PrivateFiles(Path.of(config.directory()));
        this.user = config.user().strip();
        this.box = new SecretBox(files);
        this.passwordHash = adminPassword(files, envPassword);
        if (!files.exists(TOKEN_FILE)) {
            files.write(TOKEN_FILE, (randomText(43) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        files.tighten(TOKEN_FILE);
        this.token = new String(files.read(TOKEN_FILE), StandardCharsets.US_ASCII).strip().getBytes(StandardCharsets.US_ASCII);
    }

    private String adminPassword(PrivateFiles files, String envPassword) {
        boolean fromEnv = envPassword != null && !envPassword.isBlank();
        if (files.exists(ADMIN_FILE)) {
            files.tighten(ADMIN_FILE);
            String stored = load(files).getProperty("hash");
            if (!fromEnv || PasswordHash.matches(envPassword, stored)) {
                return stored;
            }
            LOG.warn("The administrator's password was reset from {}", ENV_PASSWORD);
            return store(files, envPassword);
        }
        if (fromEnv) {
            return store(files, envPassword);
        }
        String generated = randomText(20);
        String hash = store(files, generated);
        // Deliberately on the console, once: there is no other way to learn a generated password.
        System.out.println("rollbook: admin password (shown once): " + generated
                + "   (user '" + user + "'; set " + ENV_PASSWORD + " and restart to choose another)");
        return hash;
    }

    private static Properties load(PrivateFiles files) {
        Properties p = new Properties();
        try {
            p.load(new java.io.ByteArrayInputStream(files.read(ADMIN_FILE)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read " + files.path(ADMIN_FILE) + ": " + e.getMessage(), e);
        }
        if (p.getProperty("hash") == null) {
            throw new IllegalStateException(files.path(ADMIN_FILE) + " holds no password hash: delete it to set the password again");
        }
        return p;
    }

    private static String store(PrivateFiles files, String password) {
        String hash = PasswordHash.hash(password);
        files.write(ADMIN_FILE, ("# The administrator's password (PBKDF2-HMAC-SHA256). Delete this file to set a new one.\nhash="
                + hash + "\n").getBytes(StandardCharsets.US_ASCII));
        return hash;
    }

    static String randomText(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public boolean verify(String user, String password) {
        if (password == null || user == null) {
            return false;
        }
        boolean ok = PasswordHash.matches(password, passwordHash); // always spend the time, whoever the user
        return ok && MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8), this.user.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean verifyToken(String candidate) {
        return candidate != null && MessageDigest.isEqual(candidate.strip().getBytes(StandardCharsets.US_ASCII), token);
    }

    @Override
    public String seal(String plain) {
        return box.seal(plain);
    }

    @Override
    public String open(String value) {
        return box.open(value);
    }

}
