package org.rollbook.itest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The start levels the exported launcher gives its bundles (launcher.properties, launch.runbundles.attrs). */
final class StartLevels {
    private static final Pattern ENTRY = Pattern.compile("([\\w.\\-]+);[^,]*?startlevel=(\\d+)");

    private StartLevels() {
    }

    static Map<String, Integer> of(Path executableJar) throws IOException {
        Properties launcher = new Properties();
        try (JarFile jar = new JarFile(executableJar.toFile());
                InputStream in = jar.getInputStream(jar.getEntry("launcher.properties"))) {
            launcher.load(in);
        }
        Map<String, Integer> levels = new HashMap<>();
        Matcher m = ENTRY.matcher(launcher.getProperty("launch.runbundles.attrs", ""));
        while (m.find()) {
            levels.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return levels;
    }
}
