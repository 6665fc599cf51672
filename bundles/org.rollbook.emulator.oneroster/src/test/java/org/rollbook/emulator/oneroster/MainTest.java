package org.rollbook.emulator.oneroster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.rollbook.emulator.oneroster.internal.Main;

class MainTest {

    @Test
    void helpListsTheOptions() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Main.main(new String[] { "--help" });
        } finally {
            System.setOut(old);
        }
        String s = buf.toString(StandardCharsets.UTF_8);
        for (String o : new String[] { "--host", "--port", "--seed", "--students", "--version", "--fault-rate", "--redirect-uri", "--sso-client-id", "--code-ttl", "--help" })
            assertTrue(s.contains(o), o);
    }
}
