package org.rollbook.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollbook.api.security.Secrets;

class SecurityTest {
    @TempDir
    Path dir;

    private SecurityConfiguration config() {
        return new SecurityConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SecurityConfiguration.class;
            }

            @Override
            public String directory() {
                return dir.resolve("security").toString();
            }

            @Override
            public String user() {
                return "admin";
            }
        };
    }

    @Test
    void secretsAreSealedWithTheKeyFileAndOpenedAgainAfterARestart() {
        Security s = new Security(config(), "pw-one-2345");
        String sealed = s.seal("s3cret value");
        assertTrue(Secrets.isSealed(sealed));
        assertFalse(sealed.contains("s3cret"));
        assertNotEquals(sealed, s.seal("s3cret value"), "a fresh nonce per value");
        assertEquals(sealed, s.seal(sealed), "sealing twice changes nothing");
        assertEquals("s3cret value", new Security(config(), null).open(sealed));
        assertEquals("typed by hand", s.open("typed by hand"));
        assertEquals("", s.seal(""));
    }

    @Test
    void aValueSealedWithAnotherKeyIsRefusedWithAMessage() throws Exception {
        String sealed = new Security(config(), "pw-one-2345").seal("x");
        Files.delete(dir.resolve("security/secret.key"));
        Security other = new Security(config(), null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.open(sealed));
        assertTrue(e.getMessage().contains("enter the secret again"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> other.open(Secrets.PREFIX + "garbage!"));
    }

    @Test
    void filesAreReadableOnlyByTheServerUser() throws Exception {
        new Security(config(), "pw-one-2345");
        Path sec = dir.resolve("security");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sec)));
        for (String f : new String[] {"secret.key", "admin.properties", "cli.token"}) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sec.resolve(f))), f);
        }
        String admin = Files.readString(sec.resolve("admin.properties"));
        assertFalse(admin.contains("pw-one-2345"));
        assertTrue(admin.contains("pbkdf2-sha256$600000$"), admin);
    }

    @Test
    void passwordFromTheEnvironmentAndItsReset() {
        Security s = new Security(config(), "first-password");
        assertTrue(s.verify("admin", "first-password"));
        assertFalse(s.verify("admin", "First-password"));
        assertFalse(s.verify("root", "first-password"));
        assertFalse(s.verify("admin", null));
        assertTrue(new Security(config(), null).verify("admin", "first-password"), "kept without the variable");
        Security reset = new Security(config(), "second-password");
        assertTrue(reset.verify("admin", "second-password"));
        assertFalse(reset.verify("admin", "first-password"));
    }

    @Test
    void aGeneratedPasswordIsPrintedOnceAndWorks() {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Security s = new Security(config(), null);
            new Security(config(), null);
            String printed = buf.toString(StandardCharsets.UTF_8);
            String marker = "rollbook: admin password (shown once): ";
            assertEquals(printed.indexOf(marker), printed.lastIndexOf(marker), "printed once: " + printed);
            String pw = printed.substring(printed.indexOf(marker) + marker.length()).split("\\s")[0];
            assertEquals(20, pw.length());
            assertTrue(s.verify("admin", pw));
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void theCommandLineTokenIsStableAndChecked() throws Exception {
        Security s = new Security(config(), "pw-one-2345");
        String token = Files.readString(dir.resolve("security/cli.token")).strip();
        assertTrue(token.length() >= 40);
        assertTrue(s.verifyToken(token));
        assertTrue(new Security(config(), null).verifyToken(token));
        assertFalse(s.verifyToken(token + "x"));
        assertFalse(s.verifyToken(""));
        assertFalse(s.verifyToken(null));
    }
}
