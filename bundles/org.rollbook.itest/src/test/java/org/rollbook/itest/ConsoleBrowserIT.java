package org.rollbook.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.rollbook.emulator.clever.CleverEmulator;
import org.rollbook.emulator.clever.DistrictSpec;

/**
 * The admin console in headless Chromium against the exported server jar syncing a Clever district from
 * the emulator: sign in, map a site to a school, Sync Now with the progress bar to completion, the run's
 * log filtered and downloaded as CSV, a roster name full of markup shown as text, sign out.
 *
 * <p>Uses the system's /usr/bin/chromium and /usr/bin/chromedriver, given explicitly, so Selenium Manager
 * never downloads anything. Without Chromium the test is skipped, unless ROLLBOOK_REQUIRE_BROWSER=1 (CI).
 */
public class ConsoleBrowserIT {

    // a roster name that would run script or inject markup if the console ever parsed data as HTML
    static final String HOSTILE_FIRST = "<img src=x onerror=\"window.__xss=1\">Zoë";
    static final String HOSTILE_LAST = "<script>window.__xss=2</script><b>O'Brien</b> & Co";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private CleverEmulator clever;
    private RunningServer server;
    private ChromeDriver driver;
    private Path downloads;
    private String base;

    @Before
    public void start() throws Exception {
        Browser.require();
        clever = CleverEmulator.builder().seed(23).district(new DistrictSpec(600, 30, 8, 2, 0, 2)).build().start();
        String school = String.valueOf(clever.district().schools().get(0).get("id"));
        clever.district().addStudent(HOSTILE_FIRST, HOSTILE_LAST, school, "5");
        server = new RunningServer(tmp.newFolder("server").toPath(), Map.of("org.rollbook.connector.clever.cfg",
                RunningServer.cleverConnector(clever, 100)));
        server.awaitConnector();
        base = "http://127.0.0.1:" + server.port;
        awaitServlets();

        downloads = tmp.newFolder("downloads").toPath();
        driver = Browser.open(tmp.newFolder("chromium-profile"), downloads, tmp.newFile("chromedriver.log"));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    @Rule
    public org.junit.rules.TestWatcher diagnostics = new org.junit.rules.TestWatcher() {
        @Override
        protected void failed(Throwable e, org.junit.runner.Description description) {
            if (server != null) {
                System.out.println("---- server output ----\n" + String.join("\n", server.output()));
                try (Stream<Path> cfgs = Files.list(server.home.resolve("etc"))) {
                    for (Path cfg : cfgs.sorted().toList()) {
                        System.out.println("---- " + cfg.getFileName() + " ----\n" + Files.readString(cfg));
                    }
                } catch (java.io.IOException ignored) {
                    // nothing more to show
                }
            }
        }
    };

    @After
    public void stop() throws Exception {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (clever != null) {
                clever.close();
            }
        }
    }

    @Test
    public void anAdminSyncsADistrictInTheConsole() throws Exception {
        // the server's root leads to the console, which asks for a sign-in
        driver.get(base + "/");
        await("the sign-in form", () -> driver.getCurrentUrl().endsWith("/console/") && visible("signin-password"));
        HttpResponse<String> page = server.send("GET", "/console/", null, Map.of());
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp, csp.contains("default-src 'self'") && csp.contains("script-src 'self'") && !csp.contains("unsafe"));

        // a wrong password is refused, the right one signs in
        signIn("not-the-password");
        await("the refusal", () -> text(By.id("signin-status")).contains("Wrong user name or password"));
        signIn(RunningServer.ADMIN_PASSWORD);
        await("the dashboard", () -> text(By.cssSelector("#view h1")).equals("Dashboard"));
        await("the connector card", () -> text(By.id("connector-state")).contains("ok"));

        // site mapping: add a site, then match it to the first school
        String schoolId = String.valueOf(clever.district().schools().get(0).get("id"));
        String schoolName = String.valueOf(clever.district().schools().get(0).get("name"));
        nav("#/sites", "Site mapping");
        type(By.id("new-site-code"), "NORTH");
        type(By.id("new-site-name"), "North Library");
        click(By.id("add-site-submit"));
        await("the new site", () -> text(By.cssSelector("tr[data-site='NORTH']")).contains("not mapped"));
        click(By.cssSelector("tr[data-site='NORTH'] input[type=radio]"));
        click(By.cssSelector("tr[data-school='" + schoolId + "'] input[type=radio]"));
        click(By.id("match"));
        await("the match", () -> text(By.cssSelector("tr[data-site='NORTH']")).contains(schoolName)
                && text(By.cssSelector("tr[data-school='" + schoolId + "']")).contains("NORTH"));

        // Sync Now, and the progress bar follows the run to the end
        nav("#/operations", "Operations");
        click(By.id("sync-now"));
        List<String> seen = new ArrayList<>();
        await("the sync to complete", Duration.ofSeconds(180), () -> {
            String status = text(By.id("sync-status"));
            String count = text(By.id("sync-count"));
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status + " " + count)) {
                seen.add(status + " " + count);
            }
            if (status.equals("failed") || status.equals("cancelled") || status.equals("held")) {
                fail("the sync ended " + status + ": " + text(By.id("sync-message")));
            }
            return status.equals("completed");
        });
        WebElement progress = driver.findElement(By.id("sync-progress"));
        assertEquals("the bar is full at the end (seen: " + seen + ")", progress.getDomProperty("max"), progress.getDomProperty("value"));
        assertTrue(seen.toString(), Double.parseDouble(progress.getDomProperty("max")) > 300);

        // the run's log: filtered to created patrons, then downloaded as CSV
        click(By.cssSelector("#sync-box .sync-title a"));
        await("the operation page", () -> text(By.cssSelector("#view h1")).startsWith("Operation "));
        await("log entries", () -> !driver.findElements(By.cssSelector("table.log tbody tr")).isEmpty());
        click(By.cssSelector("#log-outcome option[value='created']"));
        await("the filtered log", () -> driver.getCurrentUrl().contains("outcome=created") && text(By.id("log-range")).contains(" of "));
        String range = text(By.id("log-range"));
        int created = Integer.parseInt(range.substring(range.lastIndexOf(" of ") + 4).replace(",", "").replace(".", "").trim());
        assertTrue(range, created > 300);
        WebElement csvLink = driver.findElement(By.id("log-download-csv"));
        assertTrue(csvLink.getDomProperty("href"), csvLink.getDomProperty("href").contains("/log.csv?outcome=created"));
        csvLink.click();
        Path csv = await("the CSV download", Duration.ofSeconds(30), () -> {
            try (Stream<Path> files = Files.list(downloads)) {
                return files.filter(f -> f.getFileName().toString().endsWith(".csv")).findFirst().orElse(null);
            }
        });
        List<String> lines = await("the whole CSV", () -> {
            List<String> l = Files.readAllLines(csv, StandardCharsets.UTF_8);
            return l.size() == created + 1 ? l : null;
        });
        assertTrue(lines.get(0), lines.get(0).toLowerCase().contains("situation"));

        // settings: the Clever secret is write-only; the Community ID gets the library's own name
        nav("#/providers", "Provider settings");
        await("the Clever settings", () -> clever.districtId().equals(driver.findElement(By.id("clever-district")).getDomProperty("value")));
        WebElement secret = driver.findElement(By.id("clever-clientSecret"));
        assertEquals("", secret.getDomProperty("value"));
        assertTrue(secret.getDomAttribute("placeholder"), secret.getDomAttribute("placeholder").startsWith("stored"));
        nav("#/sync", "Sync settings");
        type(By.id("communityIdName"), "Student ID");
        click(By.id("sync-settings-save"));
        await("the saved sync settings", () -> text(By.id("sync-settings-status")).contains("Saved"));

        // a roster name full of markup is shown as text, and nothing of it runs
        nav("#/patrons", "Patrons");
        type(By.id("patron-q"), "<script>");
        click(By.cssSelector("#patron-search button[type=submit]"));
        await("the search result", () -> driver.getCurrentUrl().contains("q=") && driver.findElements(By.cssSelector("tr[data-patron]")).size() == 1);
        String expected = HOSTILE_LAST + ", " + HOSTILE_FIRST;
        assertEquals(expected, text(By.cssSelector("tr[data-patron] td a")));
        click(By.cssSelector("tr[data-patron] td a"));
        await("the patron page", () -> text(By.id("patron-name")).equals(expected));
        assertEquals(HOSTILE_LAST, text(By.cssSelector("tr[data-field='lastName'] td:nth-child(3)")));
        assertTrue("provenance links to the run", text(By.cssSelector("tr[data-field='lastName']")).contains("operation #"));
        assertTrue("the library's name for field 1001", text(By.cssSelector("tr[data-field='communityId']")).contains("Student ID"));
        assertTrue("no element was made from roster text", driver.findElements(By.cssSelector("#view script, #view img, #view b")).isEmpty());
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) driver).executeScript("return window.__xss === undefined"));

        // connectors: a jar that is not a connector is refused; a newer Clever connector is installed while the server runs
        nav("#/connectors", "Connectors");
        await("the connector bundles", () -> text(By.id("connector-bundles")).contains("org.rollbook.connector.clever"));
        Path notes = ConnectorJars.bundle(tmp.getRoot().toPath().resolve("build/notes.jar"), Map.of("Bundle-SymbolicName", "com.example.notes"));
        driver.findElement(By.id("connector-jar")).sendKeys(notes.toString());
        click(By.id("connector-install"));
        await("the refusal", () -> text(By.id("messages")).contains("not a Rollbook connector"));
        Path newer = ConnectorJars.clever(tmp.getRoot().toPath().resolve("build/clever-0.1.5.jar"), "0.1.5");
        driver.findElement(By.id("connector-jar")).sendKeys(newer.toString());
        click(By.id("connector-install"));
        await("the updated connector listed", () -> text(By.id("connector-bundles")).contains("0.1.5"));

        // the page ran under its CSP without violations or script errors
        List<String> problems = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            String m = e.getMessage();
            if (m.contains("Content Security Policy") || m.contains("Refused to") || m.contains("Uncaught")) {
                problems.add(m);
            }
        }
        assertTrue(problems.toString(), problems.isEmpty());

        // sign out: the console asks for the password again, also after a reload
        click(By.id("sign-out"));
        await("the sign-in form after signing out", () -> visible("signin-password"));
        driver.get(base + "/console/#/operations");
        await("the sign-in form after a reload", () -> visible("signin-password"));
        assertTrue(driver.findElements(By.cssSelector("tr[data-operation]")).isEmpty());
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** On a busy machine the servlets register a little after the server announces itself: wait for all of them. */
    private void awaitServlets() throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            int health = server.send("GET", "/api/health", null, Map.of()).statusCode();
            int session = server.send("GET", "/api/session", null, Map.of()).statusCode();
            int sites = server.send("GET", "/api/sites", null, server.withToken()).statusCode();
            int console = server.send("GET", "/console/", null, Map.of()).statusCode();
            if (health == 200 && session == 401 && sites == 200 && console == 200) {
                return;
            }
            assertTrue("the server's servlets came up: health " + health + ", session " + session + ", sites " + sites
                    + ", console " + console, System.currentTimeMillis() < deadline);
            Thread.sleep(200);
        }
    }

    private void signIn(String password) {
        WebElement field = driver.findElement(By.id("signin-password"));
        field.clear();
        field.sendKeys(password);
        driver.findElement(By.id("signin-submit")).click();
    }

    /** Follows a navigation link and waits for the page's heading. */
    private void nav(String hash, String heading) {
        click(By.cssSelector("#nav a[href='" + hash + "']"));
        await(heading, () -> text(By.cssSelector("#view h1")).equals(heading));
    }

    private void click(By by) {
        await("clicking " + by, () -> {
            driver.findElement(by).click();
            return true;
        });
    }

    private void type(By by, String text) {
        await("typing into " + by, () -> {
            WebElement e = driver.findElement(by);
            e.clear();
            e.sendKeys(text);
            return true;
        });
    }

    private String text(By by) {
        return driver.findElement(by).getText().strip();
    }

    private boolean visible(String id) {
        List<WebElement> found = driver.findElements(By.id(id));
        return !found.isEmpty() && found.get(0).isDisplayed();
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    private <T> T await(String what, Probe<T> probe) {
        return await(what, Duration.ofSeconds(20), probe);
    }

    /** Polls until the probe answers true or a non-null value; pages re-render, so lookups may fail meanwhile. */
    private <T> T await(String what, Duration timeout, Probe<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (true) {
            try {
                T value = probe.get();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (WebDriverException | java.io.IOException e) {
                last = e;
            } catch (Exception e) {
                throw new AssertionError(what, e);
            }
            if (System.nanoTime() > deadline) {
                String shown;
                try {
                    shown = driver.findElement(By.tagName("main")).getText();
                } catch (WebDriverException e) {
                    shown = "(page not readable: " + e.getMessage() + ")";
                }
                AssertionError error = new AssertionError("waited " + timeout.toSeconds() + " s for " + what + " at "
                        + driver.getCurrentUrl() + "; the page shows:\n" + shown);
                if (last != null) {
                    error.initCause(last);
                }
                throw error;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(what + ": interrupted");
            }
        }
    }
}
