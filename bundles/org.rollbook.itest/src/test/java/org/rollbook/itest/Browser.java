package org.rollbook.itest;

import static org.junit.Assert.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;

import org.junit.Assume;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Debian Chromium driven through /usr/bin/chromedriver, given explicitly so that Selenium
 * Manager never downloads anything. Without Chromium the calling test is skipped, unless
 * ROLLBOOK_REQUIRE_BROWSER=1 (CI), where that is a failure.
 */
final class Browser {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** Held so that its level sticks (java.util.logging keeps loggers weakly). */
    private static final java.util.logging.Logger CDP_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        // Selenium has no DevTools bindings for every Chromium version; these tests need none, so no warning about it
        CDP_LOG.setLevel(Level.SEVERE);
        // never let Selenium Manager look for (or download) a driver or browser
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    }

    private Browser() {
    }

    /** Skips the test (or fails it under ROLLBOOK_REQUIRE_BROWSER=1) when there is no Chromium. */
    static void require() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            if ("1".equals(System.getenv("ROLLBOOK_REQUIRE_BROWSER"))) {
                fail("ROLLBOOK_REQUIRE_BROWSER=1 but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing (apt-get install chromium chromium-driver)");
            }
            Assume.assumeTrue("no " + CHROMIUM + " / " + CHROMEDRIVER + ": the browser test is skipped", false);
        }
    }

    /** A fresh headless browser with its own profile; downloads go to {@code downloads} when given. */
    static ChromeDriver open(File profile, Path downloads, File driverLog) {
        require();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile);
        if (downloads != null) {
            Map<String, Object> prefs = new HashMap<>();
            prefs.put("download.default_directory", downloads.toString());
            prefs.put("download.prompt_for_download", false);
            prefs.put("safebrowsing.enabled", false);
            options.setExperimentalOption("prefs", prefs);
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(driverLog).build();
        return new ChromeDriver(service, options);
    }
}
