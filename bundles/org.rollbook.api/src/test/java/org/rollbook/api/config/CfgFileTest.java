package org.rollbook.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CfgFileTest {
    @TempDir
    Path dir;

    private Properties read(Path f) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f)) {
            p.load(r);
        }
        return p;
    }

    @Test
    void changesKeysInPlaceKeepsCommentsAndAppendsNewOnes() throws Exception {
        Path f = dir.resolve("org.rollbook.sync.cfg");
        Files.writeString(f, "# what to sync\n#types=student\ntypes=student\nholdMinimum = 20\nerasable=student=phone;\\\n  teacher=phone\ndailyTime=02:30\n");
        CfgFile.update(f, Map.of("types", "student,teacher", "communityIdName", "Lunch number"), Set.of("erasable", "dailyTime"), null);
        String text = Files.readString(f);
        assertTrue(text.startsWith("# what to sync\n#types=student\ntypes=student,teacher\nholdMinimum = 20\n"), text);
        assertFalse(text.contains("teacher=phone"), text);
        Properties p = read(f);
        assertEquals("student,teacher", p.getProperty("types"));
        assertEquals("20", p.getProperty("holdMinimum"));
        assertEquals("Lunch number", p.getProperty("communityIdName"));
        assertEquals(null, p.getProperty("erasable"));
        assertEquals(null, p.getProperty("dailyTime"));
    }

    @Test
    void aNewFileGetsTheHeaderAndAnyValueSurvivesTheRoundTrip() throws Exception {
        Path f = dir.resolve("new.cfg");
        String odd = " lead=ing:#!\\ tab\there é ü\nnext";
        CfgFile.update(f, Map.of("name", odd, "clientSecret", "enc:v1:ab+/cd=="), Set.of(), "written by the console\nsecond line");
        assertTrue(Files.readString(f).startsWith("# written by the console\n# second line\n"));
        Properties p = read(f);
        assertEquals(odd, p.getProperty("name"));
        assertEquals("enc:v1:ab+/cd==", p.getProperty("clientSecret"));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }
}
