package org.rollbook.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollbook.deploy.internal.FolderScan.Change;
import org.rollbook.deploy.internal.FolderScan.Changed;
import org.rollbook.deploy.internal.FolderScan.Removed;

/** A jar is acted on once it is stable, once per version of it, and its removal once it was handled. */
class FolderScanTest {

    @TempDir
    Path dir;

    List<Change> pollAndHandle(FolderScan scan) throws Exception {
        List<Change> changes = scan.poll();
        changes.stream().filter(c -> c instanceof Changed).forEach(c -> scan.handled((Changed) c));
        return changes;
    }

    @Test
    void aJarIsReportedOnceItsSizeAndTimeAreStable() throws Exception {
        FolderScan scan = new FolderScan(dir);
        Path jar = Files.write(dir.resolve("clever.jar"), new byte[100]);
        Files.writeString(dir.resolve("README.md"), "not a jar");
        Files.writeString(dir.resolve("clever.jar.error"), "not a jar either");
        Files.write(dir.resolve(".hidden.jar"), new byte[1]);
        assertEquals(List.of(), pollAndHandle(scan), "first sight: maybe still being copied");
        Files.write(jar, new byte[200]);
        assertEquals(List.of(), pollAndHandle(scan), "it grew: still being copied");
        List<Change> stable = pollAndHandle(scan);
        assertEquals(1, stable.size());
        assertEquals(jar, stable.get(0).file());
        assertEquals(List.of(), pollAndHandle(scan), "handled: not reported again");
    }

    @Test
    void aChangedJarIsReportedAgainAndARemovedOneAsRemoved() throws Exception {
        FolderScan scan = new FolderScan(dir);
        Path jar = Files.write(dir.resolve("clever.jar"), new byte[100]);
        scan.poll();
        assertEquals(1, pollAndHandle(scan).size());
        Files.write(jar, new byte[100]);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
        assertEquals(List.of(), pollAndHandle(scan));
        assertEquals(1, pollAndHandle(scan).size(), "the new version, once stable");
        Files.delete(jar);
        List<Change> gone = pollAndHandle(scan);
        assertEquals(1, gone.size());
        assertInstanceOf(Removed.class, gone.get(0));
        assertEquals(List.of(), pollAndHandle(scan));
    }

    @Test
    void aJarDeletedBeforeItWasHandledOrForgottenIsNotReported() throws Exception {
        FolderScan scan = new FolderScan(dir);
        Path a = Files.write(dir.resolve("a.jar"), new byte[1]);
        scan.poll();
        Files.delete(a);
        assertEquals(List.of(), pollAndHandle(scan));
        Path b = Files.write(dir.resolve("b.jar"), new byte[1]);
        scan.poll();
        pollAndHandle(scan);
        scan.forget(b);
        Files.delete(b);
        assertEquals(List.of(), pollAndHandle(scan), "the deployer deleted it itself");
    }

    @Test
    void aMissingFolderHasNoChanges() throws Exception {
        assertEquals(List.of(), new FolderScan(dir.resolve("nowhere")).poll());
    }
}
