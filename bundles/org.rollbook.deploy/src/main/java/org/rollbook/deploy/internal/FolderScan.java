package org.rollbook.deploy.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The deploy folder between two looks: a jar is reported once its size and modification time stayed the
 * same from one poll to the next (so a copy in progress is not picked up), and again whenever it changes;
 * a jar that was handled and is no longer there is reported removed. Plain Java, driven by the deployer's
 * poll.
 */
final class FolderScan {

    /** What identifies a version of a file without reading it. */
    record Fingerprint(long size, long modified) {
    }

    sealed interface Change permits Changed, Removed {
        Path file();
    }

    /** A new or changed jar whose size and time are stable. */
    record Changed(Path file, Fingerprint fingerprint) implements Change {
    }

    /** A jar that was handled before and is gone. */
    record Removed(Path file) implements Change {
    }

    private final Path directory;
    private final Map<Path, Fingerprint> seen = new HashMap<>();
    private final Map<Path, Fingerprint> handled = new HashMap<>();

    FolderScan(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    static boolean isJar(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && name.toLowerCase(Locale.ROOT).endsWith(".jar");
    }

    /** Looks at the folder once; the changes to act on, removals first. */
    synchronized List<Change> poll() throws IOException {
        Map<Path, Fingerprint> now = new HashMap<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, FolderScan::isJar)) {
                for (Path f : files) {
                    try {
                        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                        if (a.isRegularFile()) {
                            now.put(f, new Fingerprint(a.size(), a.lastModifiedTime().toMillis()));
                        }
                    } catch (IOException goneMeanwhile) {
                        // deleted between listing and reading: the next poll sees it gone
                    }
                }
            }
        }
        List<Change> changes = new ArrayList<>();
        for (Path f : List.copyOf(handled.keySet())) {
            if (!now.containsKey(f)) {
                handled.remove(f);
                changes.add(new Removed(f));
            }
        }
        List<Change> changed = new ArrayList<>();
        for (Map.Entry<Path, Fingerprint> e : now.entrySet()) {
            Fingerprint before = seen.get(e.getKey());
            if (e.getValue().equals(before) && !e.getValue().equals(handled.get(e.getKey()))) {
                changed.add(new Changed(e.getKey(), e.getValue()));
            }
        }
        changed.sort((a, b) -> a.file().compareTo(b.file()));
        changes.addAll(changed);
        seen.clear();
        seen.putAll(now);
        return changes;
    }

    /** The change was acted on (installed, or refused): not reported again until the file changes or goes. */
    synchronized void handled(Changed change) {
        handled.put(change.file(), change.fingerprint());
    }

    /** The deployer removed the file itself: no removal to report. */
    synchronized void forget(Path file) {
        handled.remove(file);
        seen.remove(file);
    }
}
