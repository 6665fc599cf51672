package org.rollbook.deploy.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Jars for the tests, written on the fly: a manifest with the given main headers and one class-like entry. */
final class TestJars {
    private TestJars() {
    }

    static final String CONNECTOR_CAPABILITY =
            "osgi.service;objectClass:List<String>=\"org.rollbook.api.roster.RosterConnector\";uses:=\"org.rollbook.api.roster\"";

    static Path jar(Path file, Map<String, String> headers) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((k, v) -> m.getMainAttributes().putValue(k, v));
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.putNextEntry(new JarEntry("org/example/Thing.class"));
            jar.write("not really a class".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return file;
    }

    static Path connector(Path file, String bsn, String version) throws IOException {
        return jar(file, Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", bsn, "Bundle-Version", version,
                "Provide-Capability", CONNECTOR_CAPABILITY));
    }
}
