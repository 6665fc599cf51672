package org.rollbook.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollbook.api.deploy.ConnectorSource;
import org.rollbook.deploy.internal.Deployments.Deployment;

/** What survives a restart: the record and the copy of each deployed jar. */
class DeploymentsTest {

    @TempDir
    Path dir;

    @Test
    void deploymentsAreKeptWithACopyAndReadBack() throws Exception {
        Path jar = TestJars.connector(dir.resolve("clever.jar"), "org.rollbook.connector.clever", "0.1.1");
        Deployments d = new Deployments(dir.resolve("connectors"));
        Deployment clever = new Deployment("org.rollbook.connector.clever", ConnectorSource.UPLOAD, "clever.jar", "0.1.1", "abc", 42);
        d.put(clever, jar);
        assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(d.jar("org.rollbook.connector.clever")));
        d.put(clever, d.jar("org.rollbook.connector.clever")); // its own copy: nothing to copy

        Files.writeString(dir.resolve("connectors/.upload-123.jar"), "half an upload");
        Deployments again = new Deployments(dir.resolve("connectors"));
        assertEquals(List.of(clever), List.copyOf(again.all()));
        assertFalse(Files.exists(dir.resolve("connectors/.upload-123.jar")), "left-overs of an interrupted upload are deleted");

        again.remove("org.rollbook.connector.clever");
        assertTrue(again.get("org.rollbook.connector.clever").isEmpty());
        try (var left = Files.list(dir.resolve("connectors"))) {
            assertEquals(0, left.count());
        }
    }
}
