package org.rollbook.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollbook.api.deploy.DeployException;
import org.rollbook.api.deploy.DeployException.Reason;

/** What is a connector jar, and the one-sentence reasons for what is not. */
class ConnectorJarTest {

    static final long LIMIT = 50 * ConnectorJar.MB;

    @TempDir
    Path dir;

    String refusal(Path file, long limit) {
        DeployException e = assertThrows(DeployException.class, () -> ConnectorJar.inspect(file, file.getFileName().toString(), limit));
        return e.reason() + ": " + e.getMessage();
    }

    String refusal(Map<String, String> headers) throws Exception {
        return refusal(TestJars.jar(dir.resolve("x.jar"), headers), LIMIT);
    }

    @Test
    void aConnectorBundleIsAccepted() throws Exception {
        Path file = TestJars.connector(dir.resolve("clever.jar"), "org.rollbook.connector.clever", "0.1.1");
        ConnectorJar jar = ConnectorJar.inspect(file, "clever.jar", LIMIT);
        assertEquals("org.rollbook.connector.clever", jar.symbolicName());
        assertEquals("0.1.1", jar.version().toString());
        assertEquals("org.rollbook.connector.clever 0.1.1", jar.name());
        assertEquals(64, jar.sha256().length());
        assertEquals(Files.size(file), jar.size());
    }

    @Test
    void aThirdPartyConnectorWithDirectivesOnItsNameIsAccepted() throws Exception {
        Path file = TestJars.jar(dir.resolve("acme.jar"), Map.of("Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "com.acme.roster;singleton:=true", "Bundle-Version", "2.0.0.beta1",
                "Provide-Capability", "osgi.service;objectClass:List<String>=\"com.acme.Other,org.rollbook.api.roster.RosterConnector\","
                        + "osgi.service;objectClass:List<String>=\"com.acme.Third\""));
        assertEquals("com.acme.roster", ConnectorJar.inspect(file, "acme.jar", LIMIT).symbolicName());
    }

    @Test
    void notAZip() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.jar"), "these are my notes");
        assertTrue(refusal(file, LIMIT).startsWith("REFUSED: notes.jar is not a jar file: it cannot be read as a zip archive"),
                refusal(file, LIMIT));
    }

    @Test
    void noManifest() throws Exception {
        Path file = dir.resolve("plain.jar");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new java.util.zip.ZipEntry("a.txt"));
            out.write(1);
        }
        assertEquals("REFUSED: plain.jar is not an OSGi bundle: it has no META-INF/MANIFEST.MF", refusal(file, LIMIT));
    }

    @Test
    void aPlainJarIsNotABundle() throws Exception {
        assertEquals("REFUSED: x.jar is not an OSGi bundle: its manifest has no Bundle-SymbolicName",
                refusal(Map.of("Main-Class", "org.example.Main")));
    }

    @Test
    void aBundleWithoutTheConnectorServiceIsNotAConnector() throws Exception {
        assertEquals("REFUSED: x.jar is not a Rollbook connector: it does not provide org.rollbook.api.roster.RosterConnector",
                refusal(Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "org.example.tool", "Bundle-Version", "1.0",
                        "Provide-Capability", "osgi.service;objectClass:List<String>=\"org.example.Tool\"")));
        assertEquals("REFUSED: x.jar is not a Rollbook connector: it does not provide org.rollbook.api.roster.RosterConnector",
                refusal(Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "org.rollbook.sync", "Bundle-Version", "1.0")));
    }

    @Test
    void serverBundlesAreNotConnectorsEvenWhenTheySayTheyAre() throws Exception {
        String r = refusal(Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "org.apache.felix.scr",
                "Bundle-Version", "9.0.0", "Provide-Capability", TestJars.CONNECTOR_CAPABILITY));
        assertEquals("REFUSED: x.jar is org.apache.felix.scr, a bundle of the Rollbook server itself: only connectors are installed here", r);
        assertTrue(ConnectorJar.serverBundle("org.rollbook.web"));
        assertTrue(ConnectorJar.serverBundle("com.fasterxml.jackson.core.jackson-databind"));
        assertTrue(ConnectorJar.serverBundle("slf4j.simple"));
        assertFalse(ConnectorJar.serverBundle("org.rollbook.connector.skyward"));
        assertFalse(ConnectorJar.serverBundle("com.acme.roster"));
    }

    @Test
    void fragmentsBadVersionsAndOldManifests() throws Exception {
        assertEquals("REFUSED: x.jar is not a Rollbook connector: it is a fragment of org.rollbook.connector.clever",
                refusal(Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "org.example.frag", "Bundle-Version", "1.0",
                        "Fragment-Host", "org.rollbook.connector.clever;bundle-version=0.1", "Provide-Capability", TestJars.CONNECTOR_CAPABILITY)));
        assertEquals("REFUSED: x.jar is not a valid OSGi bundle: Bundle-Version 'one' is not a version",
                refusal(Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "org.example.c", "Bundle-Version", "one")));
        assertEquals("REFUSED: x.jar is not an OSGi R4+ bundle: its Bundle-ManifestVersion is not 2",
                refusal(Map.of("Bundle-SymbolicName", "org.example.c", "Bundle-Version", "1")));
    }

    @Test
    void tooLargeIsRefusedBeforeReadingAndWhileReceiving() throws Exception {
        Path file = TestJars.connector(dir.resolve("big.jar"), "org.example.big", "1.0");
        assertTrue(refusal(file, 10).startsWith("TOO_LARGE: big.jar is larger than the limit of 0 MB"), refusal(file, 10));
        byte[] twoMb = new byte[2 * (int) ConnectorJar.MB + 1];
        DeployException e = assertThrows(DeployException.class,
                () -> ConnectorJar.receive(new ByteArrayInputStream(twoMb), dir.resolve("in"), "huge.jar", 2 * ConnectorJar.MB));
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertEquals("huge.jar is larger than the limit of 2 MB", e.getMessage());
        try (var left = Files.list(dir.resolve("in"))) {
            assertEquals(0, left.count(), "the part received is deleted");
        }
        Path ok = ConnectorJar.receive(new ByteArrayInputStream(new byte[10]), dir.resolve("in"), "small.jar", 2 * ConnectorJar.MB);
        assertEquals(10, Files.size(ok));
    }

    @Test
    void uploadedNamesAreReducedToTheirLastSegment() {
        assertEquals("clever.jar", ConnectorJar.displayName("C:\\Users\\me\\clever.jar"));
        assertEquals("clever.jar", ConnectorJar.displayName("../../etc/clever.jar"));
        assertEquals("the uploaded file", ConnectorJar.displayName(" "));
        assertEquals("the uploaded file", ConnectorJar.displayName(null));
    }
}
