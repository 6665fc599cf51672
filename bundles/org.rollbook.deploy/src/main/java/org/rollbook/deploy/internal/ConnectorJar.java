package org.rollbook.deploy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

import org.osgi.framework.Version;
import org.rollbook.api.deploy.DeployException;
import org.rollbook.api.deploy.DeployException.Reason;

/**
 * A jar that passed the checks for a Rollbook connector: a readable zip with an OSGi manifest, a symbolic
 * name and version, not a fragment, declaring the {@code RosterConnector} service (bnd writes
 * {@code Provide-Capability: osgi.service;objectClass:List<String>="org.rollbook.api.roster.RosterConnector"}
 * for a DS component providing it), and not named like one of the server's own bundles.
 *
 * @param file         where it is
 * @param fileName     its name for messages, e.g. {@code clever.jar}
 * @param symbolicName its Bundle-SymbolicName (without directives)
 * @param version      its Bundle-Version
 * @param size         bytes
 * @param sha256       hex digest of its content
 */
record ConnectorJar(Path file, String fileName, String symbolicName, Version version, long size, String sha256) {

    static final String CONNECTOR = "org.rollbook.api.roster.RosterConnector";
    static final long MB = 1024 * 1024;

    /** Bundles of the server itself (and the libraries it runs on): never replaced through connector deployment. */
    private static final List<String> SERVER_PREFIXES = List.of("org.rollbook.", "org.apache.felix.", "org.osgi.",
            "org.apache.aries.", "com.fasterxml.jackson.", "slf4j.", "org.slf4j.", "org.apache.commons.", "org.eclipse.",
            "system.bundle");
    private static final Pattern SYMBOLIC_NAME = Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*");

    /** Whether the name belongs to the server rather than to a connector. */
    static boolean serverBundle(String symbolicName) {
        if (symbolicName.startsWith("org.rollbook.connector.")) {
            return false;
        }
        return SERVER_PREFIXES.stream().anyMatch(p -> symbolicName.startsWith(p) || symbolicName.equals(p.replaceAll("\\.$", "")));
    }

    /** The last segment of an uploaded file name, never blank. */
    static String displayName(String fileName) {
        String name = fileName == null ? "" : fileName.strip();
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).replaceAll("[\\p{Cntrl}]", "");
        return name.isEmpty() ? "the uploaded file" : name;
    }

    /** Copies an upload into a new file in {@code directory}; refuses it (deleting the part read) when over {@code maxBytes}. */
    static Path receive(InputStream in, Path directory, String fileName, long maxBytes) throws IOException {
        Files.createDirectories(directory);
        Path file = Files.createTempFile(directory, ".upload-", ".jar");
        boolean done = false;
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0;) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge(fileName, maxBytes, -1);
                }
                out.write(buffer, 0, n);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(file);
            }
        }
        return file;
    }

    private static DeployException tooLarge(String fileName, long maxBytes, long size) {
        return new DeployException(Reason.TOO_LARGE, fileName + " is larger than the limit of " + maxBytes / MB + " MB"
                + (size < 0 ? "" : " (" + (size + MB - 1) / MB + " MB)"));
    }

    /** Checks the jar; throws a {@link DeployException} whose message says in one sentence why it is not a connector. */
    static ConnectorJar inspect(Path file, String fileName, long maxBytes) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new DeployException(Reason.FAILED, "cannot read " + fileName + ": " + e.getMessage(), e);
        }
        if (size > maxBytes) {
            throw tooLarge(fileName, maxBytes, size);
        }
        Manifest manifest;
        try (JarFile jar = new JarFile(file.toFile())) {
            manifest = jar.getManifest();
        } catch (IOException | SecurityException e) {
            throw refused(fileName + " is not a jar file: it cannot be read as a zip archive (" + e.getMessage() + ")");
        }
        if (manifest == null) {
            throw refused(fileName + " is not an OSGi bundle: it has no META-INF/MANIFEST.MF");
        }
        Attributes main = manifest.getMainAttributes();
        String bsnHeader = main.getValue("Bundle-SymbolicName");
        if (bsnHeader == null || bsnHeader.isBlank()) {
            throw refused(fileName + " is not an OSGi bundle: its manifest has no Bundle-SymbolicName");
        }
        String bsn = bsnHeader.split(";", 2)[0].strip();
        if (!SYMBOLIC_NAME.matcher(bsn).matches()) {
            throw refused(fileName + " is not a valid OSGi bundle: Bundle-SymbolicName '" + bsn + "' is not a symbolic name");
        }
        if (!"2".equals(String.valueOf(main.getValue("Bundle-ManifestVersion")).strip())) {
            throw refused(fileName + " is not an OSGi R4+ bundle: its Bundle-ManifestVersion is not 2");
        }
        Version version;
        try {
            version = Version.parseVersion(main.getValue("Bundle-Version"));
        } catch (IllegalArgumentException e) {
            throw refused(fileName + " is not a valid OSGi bundle: Bundle-Version '" + main.getValue("Bundle-Version")
                    + "' is not a version");
        }
        String host = main.getValue("Fragment-Host");
        if (host != null) {
            throw refused(fileName + " is not a Rollbook connector: it is a fragment of " + host.split(";", 2)[0].strip());
        }
        if (!ManifestClauses.parse(main.getValue("Provide-Capability")).declares("osgi.service", "objectClass", CONNECTOR)) {
            throw refused(fileName + " is not a Rollbook connector: it does not provide " + CONNECTOR);
        }
        if (serverBundle(bsn)) {
            throw refused(fileName + " is " + bsn + ", a bundle of the Rollbook server itself: only connectors are installed here");
        }
        return new ConnectorJar(file, fileName, bsn, version, size, sha256(file));
    }

    static DeployException refused(String message) {
        return new DeployException(Reason.REFUSED, message);
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0;) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new DeployException(Reason.FAILED, "cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code org.example.connector 1.2.0}. */
    String name() {
        return symbolicName + " " + version;
    }
}
