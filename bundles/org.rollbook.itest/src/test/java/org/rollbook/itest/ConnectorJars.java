package org.rollbook.itest;

import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Connector jars for the hot-deployment tests: copies of an exported bundle with a rewritten manifest. */
final class ConnectorJars {
    private ConnectorJars() {
    }

    /** The exported jar (run/target/export/rollbook) of a bundle, by file name prefix. */
    static Path exported(String bsn) {
        File[] jars = new File(System.getProperty("rollbook.export", "../../run/target/export/rollbook"))
                .listFiles((dir, name) -> name.startsWith(bsn + "-") && name.endsWith(".jar"));
        assertTrue("run the run module first: no exported " + bsn, jars != null && jars.length == 1);
        return jars[0].toPath();
    }

    /** A copy of {@code jar} whose manifest has these main headers set (a null value removes the header). */
    static Path withHeaders(Path jar, Path out, Map<String, String> headers) throws IOException {
        try (JarFile in = new JarFile(jar.toFile())) {
            Manifest manifest = new Manifest(in.getManifest());
            headers.forEach((k, v) -> {
                if (v == null) {
                    manifest.getMainAttributes().remove(new java.util.jar.Attributes.Name(k));
                } else {
                    manifest.getMainAttributes().putValue(k, v);
                }
            });
            Files.createDirectories(out.toAbsolutePath().getParent());
            try (OutputStream file = Files.newOutputStream(out); JarOutputStream copy = new JarOutputStream(file, manifest)) {
                for (Enumeration<JarEntry> entries = in.entries(); entries.hasMoreElements();) {
                    JarEntry e = entries.nextElement();
                    if (e.getName().equals(JarFile.MANIFEST_NAME) || e.getName().equals("META-INF/")) {
                        continue;
                    }
                    copy.putNextEntry(new JarEntry(e.getName()));
                    try (InputStream content = in.getInputStream(e)) {
                        content.transferTo(copy);
                    }
                    copy.closeEntry();
                }
            }
        }
        return out;
    }

    /** A copy of the exported Clever connector with another Bundle-Version. */
    static Path clever(Path out, String version) throws IOException {
        return withHeaders(exported("org.rollbook.connector.clever"), out, Map.of("Bundle-Version", version));
    }

    /** A bundle with only a manifest: these main headers (Bundle-ManifestVersion 2 added). */
    static Path bundle(Path out, Map<String, String> headers) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        headers.forEach((k, v) -> manifest.getMainAttributes().putValue(k, v));
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream file = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(file, manifest)) {
            jar.putNextEntry(new JarEntry("README.txt"));
            jar.write("a test connector".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return out;
    }

    static final String CONNECTOR_CAPABILITY =
            "osgi.service;objectClass:List<String>=\"org.rollbook.api.roster.RosterConnector\"";
}
