package org.rollbook.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.rollbook.emulator.clever.CleverEmulator;
import org.rollbook.emulator.oneroster.OneRosterEmulator;
import org.rollbook.emulator.oneroster.Role;
import org.rollbook.emulator.oneroster.RosterUser;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Patrons sign in with Clever and with ClassLink in headless Chromium, against the emulators' authorization
 * servers and the exported server jar: the happy path (and /api/me, sign-out), the provider-initiated entry,
 * a replayed code, a forged state, a user of another district or tenant, a Transferred patron, a person
 * the library has no record of.
 */
public class PatronSignInBrowserIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final List<AutoCloseable> open = new java.util.ArrayList<>();
    private RunningServer server;
    private ChromeDriver browser;
    private String base;

    /** What differs between the providers, for one shared walk-through. */
    interface Provider {
        String name();

        /** The emulator picker's button for this user. */
        By pick(String userId);

        String issueCode(String userId, String redirectUri);

        String launchUrl(String userId);

        String rosteredStudent(int index);

        /** A code for a user of another district or tenant. */
        String otherDistrictCode(String redirectUri);

        String addStudent(String first, String last);
    }

    @Rule
    public org.junit.rules.TestWatcher diagnostics = new org.junit.rules.TestWatcher() {
        @Override
        protected void failed(Throwable e, org.junit.runner.Description description) {
            if (server != null) {
                System.out.println("---- server output ----\n" + String.join("\n", server.output()));
                try {
                    System.out.println("---- health ----\n" + server.send("GET", "/api/health", null, server.withToken()).body());
                } catch (Exception ignored) {
                    // the server is gone
                }
            }
        }
    };

    @After
    public void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private void startServer(String provider, Map<String, String> etc) throws Exception {
        startServer(provider, etc, true);
    }

    private void startServer(String provider, Map<String, String> etc, boolean awaitSignIn) throws Exception {
        Browser.require();
        server = new RunningServer(tmp.newFolder("server").toPath(), etc);
        try {
            server.awaitConnector();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; health: " + server.send("GET", "/api/health", null, server.withToken()).body(), e);
        }
        base = "http://127.0.0.1:" + server.port;
        assertTrue(server.mapSchools() >= 1);
        JsonNode full = server.sync("{\"kind\":\"full\"}");
        assertEquals(full.toString(), "completed", full.get("status").asText());
        browser = Browser.open(tmp.newFolder("profile"), null, tmp.newFile("chromedriver.log"));
        if (awaitSignIn) {
            awaitSignInOffered(provider);
        }
    }

    private void awaitSignInOffered(String provider) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        // the sign-in servlet registers on its own, and again once it has read its configuration
        while (!server.send("GET", "/sso/", null, Map.of()).body().contains("id=\"signin-" + provider + "\"")) {
            assertTrue("/sso/ offers " + provider, System.currentTimeMillis() < deadline);
            Thread.sleep(200);
        }
    }

    /** The admin turns on "Allow log-in with ClassLink" in the console; the redirect URI to copy is shown there. */
    private void configureInConsole(String clientId, String secret, String launchpad, String info) throws Exception {
        browser.get(base + "/console/");
        waitFor(By.id("signin-password")).sendKeys(RunningServer.ADMIN_PASSWORD);
        browser.findElement(By.id("signin-submit")).click();
        until(() -> browser.findElement(By.id("sign-out")).isDisplayed(), "signed in to the console");
        browser.get(base + "/console/#/sso");
        assertEquals(base + "/sso/classlink/callback", waitFor(By.id("sso-redirect-classlink")).getAttribute("value"));
        browser.findElement(By.id("sso-classlinkAllow")).click();
        browser.findElement(By.id("sso-classlinkClientId")).sendKeys(clientId);
        browser.findElement(By.id("sso-classlinkClientSecret")).sendKeys(secret);
        browser.findElement(By.id("sso-classlinkLaunchpadUrl")).sendKeys(launchpad);
        browser.findElement(By.id("sso-classlinkInfoUrl")).sendKeys(info);
        browser.findElement(By.id("sso-save")).click();
        until(() -> browser.getPageSource().contains("Patron sign-in settings saved."), "the settings saved");
        JsonNode saved = server.call("GET", "/api/settings/sso", null, 200);
        assertEquals("write-only", true, saved.get("classlinkClientSecret").get("set").asBoolean());
        assertTrue(java.nio.file.Files.readString(server.home.resolve("etc/org.rollbook.sso.cfg")).contains("classlinkClientSecret=enc:v1:"));
        awaitSignInOffered("classlink");
        browser.get(base + "/console/");
        until(() -> browser.findElement(By.id("sign-out")).isDisplayed(), "the console");
        browser.findElement(By.id("sign-out")).click();
    }

    @Test
    public void signInWithClever() throws Exception {
        CleverEmulator clever = CleverEmulator.builder().seed(31).district(new org.rollbook.emulator.clever.DistrictSpec(60, 6, 3, 1, 0, 2))
                .build().start();
        open.add(clever);
        startServer("clever", Map.of("org.rollbook.connector.clever.cfg", RunningServer.cleverConnector(clever, 100),
                "org.rollbook.sso.cfg", "cleverEnabled=true\ncleverClientId=" + clever.clientId() + "\ncleverClientSecret="
                        + clever.clientSecret() + "\ncleverOauthUrl=" + clever.baseUrl() + "\ncleverApiUrl=" + clever.baseUrl() + "\n"));
        clever.sso().addRedirectUri(base + "/sso/clever/callback");
        walkThrough(new Provider() {
            public String name() {
                return "clever";
            }

            public By pick(String userId) {
                return By.id("pick-" + userId);
            }

            public String issueCode(String userId, String redirectUri) {
                return clever.sso().issueCode(userId, redirectUri);
            }

            public String launchUrl(String userId) {
                return clever.sso().portalLaunchUrl(userId).toString();
            }

            public String rosteredStudent(int index) {
                return clever.district().userIds("student").get(index);
            }

            public String otherDistrictCode(String redirectUri) {
                return clever.sso().issueCode(clever.sso().otherDistrict().userIds("student").get(0), redirectUri);
            }

            public String addStudent(String first, String last) {
                return clever.district().addStudent(first, last, String.valueOf(clever.district().schools().get(0).get("id")), "4");
            }
        });
    }

    @Test
    public void signInWithClassLink() throws Exception {
        OneRosterEmulator classlink = OneRosterEmulator.builder().seed(37).tenantId("2")
                .district(new org.rollbook.emulator.oneroster.DistrictSpec(60, 6, 2, 0, 2)).build().start();
        open.add(classlink);
        startServer("classlink", Map.of("org.rollbook.connector.classlink.cfg", "tenantId=" + classlink.tenantId() + "\nrosterServerUrl="
                + classlink.baseUrl() + "\nconsumerKey=" + classlink.consumerKey() + "\nconsumerSecret=" + classlink.consumerSecret() + "\n",
                "org.rollbook.sso.cfg", "# ClassLink sign-in is turned on in the console below\n"), false);
        configureInConsole(classlink.sso().clientId(), classlink.sso().clientSecret(), classlink.sso().launchpadUrl().toString(),
                classlink.sso().nodeApiUrl().toString());
        classlink.sso().addRedirectUri(base + "/sso/classlink/callback");
        long tenant = classlink.sso().tenantId();
        walkThrough(new Provider() {
            public String name() {
                return "classlink";
            }

            public By pick(String userId) {
                return By.id("pick-" + tenant + "-" + userId);
            }

            public String issueCode(String userId, String redirectUri) {
                return classlink.sso().issueCode(tenant, userId, redirectUri);
            }

            public String launchUrl(String userId) {
                return classlink.sso().launchUrl(tenant, userId).toString();
            }

            public String rosteredStudent(int index) {
                return classlink.district().userId(Role.STUDENT, index);
            }

            public String otherDistrictCode(String redirectUri) {
                // the other tenant's generated sourcedIds are the same strings as ours, for other people
                return classlink.sso().issueCode(classlink.sso().otherTenantId(), classlink.sso().otherTenant().userId(Role.STUDENT, 0),
                        redirectUri);
            }

            public String addStudent(String first, String last) {
                return classlink.district().addUser(RosterUser.builder(Role.STUDENT).givenName(first).familyName(last)).sourcedId();
            }
        });
    }

    private void walkThrough(Provider p) throws Exception {
        String redirect = base + "/sso/" + p.name() + "/callback";
        String student = p.rosteredStudent(3);
        JsonNode patron = server.call("GET", "/api/patrons?q=" + student, null, 200).get("items").get(0);
        String last = patron.get("fields").get("lastName").asText();

        // the happy path: the library's page → the provider's picker → back, signed in
        browser.get(base + "/sso/");
        browser.findElement(By.id("signin-" + p.name())).click();
        waitFor(p.pick(student)).click();
        awaitPath("/sso/me");
        assertTrue(browser.getPageSource(), text("patron").contains(last));
        browser.get(base + "/api/me");
        JsonNode me = RunningServer.JSON.readTree(browser.findElement(By.tagName("body")).getText());
        assertEquals(student, me.get("fields").get("guid").asText());
        assertEquals(patron.get("id").asLong(), me.get("id").asLong());
        browser.get(base + "/sso/me");
        browser.findElement(By.id("signout")).click();
        awaitPath("/sso/");
        browser.get(base + "/api/me");
        assertTrue(browser.getPageSource(), browser.getPageSource().contains("no patron is signed in"));

        // provider-initiated: portal / Instant Login / LaunchPad land with a code and no state
        browser.get(p.launchUrl(p.rosteredStudent(4)));
        awaitPath("/sso/me");
        browser.manage().deleteAllCookies();

        // a replayed code: this browser repeating the redirect is let back in, another browser is refused
        String code = p.issueCode(student, redirect);
        String callback = redirect + "?code=" + code;
        browser.get(callback);
        awaitPath("/sso/me");
        browser.get(callback);
        awaitPath("/sso/me");
        browser.manage().deleteAllCookies();
        browser.get(callback);
        assertRefused("already used");

        // a forged state: not the one this browser was given
        browser.get(base + "/sso/" + p.name() + "/start");
        waitFor(p.pick(student));
        browser.get(redirect + "?code=" + p.issueCode(student, redirect) + "&state=forged-state");
        assertRefused("did not start in this browser");

        // a user of another district or tenant
        browser.get(redirect + "?code=" + p.otherDistrictCode(redirect));
        assertRefused("another district");

        // someone the library has no record of yet, and a patron who is no longer active
        String newcomer = p.addStudent("Nadia", "Newcomer");
        browser.get(redirect + "?code=" + p.issueCode(newcomer, redirect));
        assertRefused("no patron record");
        JsonNode added = server.sync("{\"kind\":\"incremental\"}");
        assertEquals(added.toString(), "completed", added.get("status").asText());
        assertEquals(1, server.call("GET", "/api/patrons?q=" + newcomer, null, 200).get("total").asInt());
        JsonNode undone = server.call("POST", "/api/operations/" + added.get("id").asLong() + "/undo", null, 202);
        awaitDone(undone.get("id").asLong());
        assertEquals("transferred", server.call("GET", "/api/patrons?q=" + newcomer, null, 200).get("items").get(0)
                .get("status").get("name").asText());
        browser.get(redirect + "?code=" + p.issueCode(newcomer, redirect));
        assertRefused("not active");

        // nothing of the sign-in reaches the server's output
        assertTrue(server.output().stream().noneMatch(l -> l.contains(code)));
    }

    private void awaitDone(long id) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            String status = server.call("GET", "/api/operations/" + id, null, 200).get("status").asText();
            if (!status.equals("queued") && !status.equals("running")) {
                assertEquals("completed", status);
                return;
            }
            assertTrue(System.currentTimeMillis() < deadline);
            Thread.sleep(200);
        }
    }

    private org.openqa.selenium.WebElement waitFor(By by) {
        until(() -> !browser.findElements(by).isEmpty(), "an element " + by);
        return browser.findElement(by);
    }

    private void awaitPath(String path) {
        until(() -> browser.getCurrentUrl().equals(base + path), "at " + base + path);
    }

    private void until(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + Duration.ofSeconds(15).toMillis();
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("waited for " + what + "; at " + browser.getCurrentUrl() + ": "
                        + browser.findElement(By.tagName("body")).getText());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(what + ": interrupted");
            }
        }
    }

    private String text(String id) {
        return waitFor(By.id(id)).getText();
    }

    private void assertRefused(String words) {
        String why = text("refusal");
        assertTrue("refused with '" + words + "': " + why, why.contains(words));
    }
}
