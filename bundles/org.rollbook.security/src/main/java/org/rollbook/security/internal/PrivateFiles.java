package org.rollbook.security.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Files only the server's user may read: a directory with mode 700 and files with mode 600, written atomically. */
final class PrivateFiles {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    private final boolean posix;

    PrivateFiles(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.dir);
            posix = Files.getFileStore(this.dir).supportsFileAttributeView("posix");
            if (posix) {
                Files.setPosixFilePermissions(this.dir, DIR);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the security directory " + this.dir + ": " + e.getMessage(), e);
        }
    }

    Path path(String name) {
        return dir.resolve(name);
    }

    boolean exists(String name) {
        return Files.isRegularFile(path(name));
    }

    byte[] read(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path(name) + ": " + e.getMessage(), e);
        }
    }

    /** Writes a file readable only by this user: a temporary file with mode 600, then an atomic rename. */
    void write(String name, byte[] content) {
        Path target = path(name);
        Path tmp = dir.resolve(name + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            if (posix) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE));
            } else {
                Files.createFile(tmp);
            }
            Files.write(tmp, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + tmp + " is in the way", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Makes an existing file private again (an admin may have copied it in with a wider mode). */
    void tighten(String name) {
        if (posix && exists(name)) {
            try {
                Files.setPosixFilePermissions(path(name), FILE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot restrict " + path(name) + ": " + e.getMessage(), e);
            }
        }
    }
}
