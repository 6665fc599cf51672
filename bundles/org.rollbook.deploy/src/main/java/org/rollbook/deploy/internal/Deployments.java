package org.rollbook.deploy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import org.rollbook.api.deploy.ConnectorSource;

/**
 * The connectors this server deployed, kept outside the framework cache (which the launcher cleans at every
 * start): per symbolic name a copy of the jar ({@code <bsn>.jar}) and where it came from
 * ({@code <bsn>.properties}). Uploaded connectors are installed again from their copy after a restart; every
 * copy is also what a failed update goes back to.
 */
final class Deployments {

    /**
     * One deployed connector.
     *
     * @param symbolicName       its Bundle-SymbolicName
     * @param source             {@link ConnectorSource#UPLOAD} or {@link ConnectorSource#DEPLOY_FOLDER}
     * @param file               the uploaded file's name, or the jar's name in the deploy folder
     * @param version            its Bundle-Version
     * @param sha256             the jar's digest
     * @param bundleLastModified the bundle's last-modified time right after it was installed or updated: equal on
     *                           the next start only when the framework cache survived (nothing to reinstall)
     */
    record Deployment(String symbolicName, ConnectorSource source, String file, String version, String sha256,
            long bundleLastModified) {
    }

    private final Path directory;
    private final Map<String, Deployment> bySymbolicName = new TreeMap<>();

    Deployments(Path directory) throws IOException {
        this.directory = directory;
        if (!Files.isDirectory(directory)) {
            return; // created with the first deployment
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, ".{upload,copy,props}-*")) {
            for (Path f : leftovers) {
                Files.deleteIfExists(f); // an upload or copy the server stopped in the middle of
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.properties")) {
            for (Path f : files) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(f)) {
                    p.load(in);
                }
                String bsn = f.getFileName().toString().replaceAll("\\.properties$", "");
                try {
                    Deployment d = new Deployment(bsn, ConnectorSource.valueOf(p.getProperty("source")), p.getProperty("file"),
                            p.getProperty("version"), p.getProperty("sha256"), Long.parseLong(p.getProperty("bundleLastModified", "0")));
                    if (Files.isRegularFile(jar(bsn))) {
                        bySymbolicName.put(bsn, d);
                    }
                } catch (IllegalArgumentException | NullPointerException damaged) {
                    // not ours or damaged: ignored
                }
            }
        }
    }

    Path directory() {
        return directory;
    }

    /** The folder, created if needed, for uploads and copies on their way in. */
    Path created() throws IOException {
        return Files.createDirectories(directory);
    }

    Path jar(String symbolicName) {
        return directory.resolve(symbolicName + ".jar");
    }

    synchronized Optional<Deployment> get(String symbolicName) {
        return Optional.ofNullable(bySymbolicName.get(symbolicName));
    }

    synchronized Collection<Deployment> all() {
        return List.copyOf(bySymbolicName.values());
    }

    /** Records a deployment and keeps a copy of its jar (unless {@code jar} is that copy already). */
    synchronized void put(Deployment d, Path jar) throws IOException {
        created();
        Path copy = jar(d.symbolicName());
        if (!jar.toAbsolutePath().normalize().equals(copy.toAbsolutePath().normalize())) {
            Path part = Files.createTempFile(directory, ".copy-", ".jar");
            Files.copy(jar, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Properties p = new Properties();
        p.setProperty("source", d.source().name());
        p.setProperty("file", d.file());
        p.setProperty("version", d.version());
        p.setProperty("sha256", d.sha256());
        p.setProperty("bundleLastModified", Long.toString(d.bundleLastModified()));
        Path part = Files.createTempFile(directory, ".props-", ".properties");
        try (OutputStream out = Files.newOutputStream(part)) {
            p.store(out, "deployed connector " + d.symbolicName() + " (Rollbook; the jar beside it is its copy)");
        }
        Files.move(part, directory.resolve(d.symbolicName() + ".properties"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        bySymbolicName.put(d.symbolicName(), d);
    }

    synchronized void remove(String symbolicName) throws IOException {
        bySymbolicName.remove(symbolicName);
        Files.deleteIfExists(directory.resolve(symbolicName + ".properties"));
        Files.deleteIfExists(jar(symbolicName));
    }
}
