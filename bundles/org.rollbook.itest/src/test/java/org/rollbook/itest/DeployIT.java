package org.rollbook.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.rollbook.api.deploy.ConnectorBundle;
import org.rollbook.api.deploy.ConnectorDeployer;
import org.rollbook.api.deploy.ConnectorSource;
import org.rollbook.api.deploy.DeployException;
import org.rollbook.api.deploy.DeployException.Reason;
import org.rollbook.api.deploy.DeployResult;
import org.rollbook.api.deploy.DeployResult.Action;

/**
 * The {@link ConnectorDeployer} service in the exported bundle set, as the web bundle will call it: uploads that
 * update a built-in connector, install a new one, or are refused with a reason; a connector that cannot start
 * is not left behind; removing an update brings the built-in version back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeployIT {

    static final String CLEVER = "org.rollbook.connector.clever";

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin cm;

    /** One per framework (the test methods share it): copies kept by an earlier run would be installed again. */
    private static Path storage;
    private ConnectorDeployer deployer;
    private Path build;

    @Configuration
    public Option[] config() throws Exception {
        return new ServerIT().config();
    }

    /** The deployer reconfigured for this class: its own copies folder, no deploy folder, a 1 MB limit. */
    @Before
    public void configure() throws Exception {
        Path work = Path.of(System.getProperty("rollbook.itest.dir", "target/it")).toAbsolutePath();
        if (storage == null) {
            storage = work.resolve("deploy-it/connectors-" + System.currentTimeMillis());
        }
        build = Files.createDirectories(work.resolve("deploy-it/build"));
        deployer = reconfigure(2);
    }

    /** Configures the deployer (a changed configuration is a new component instance, as after a restart); the live one. */
    private ConnectorDeployer reconfigure(int pollSeconds) throws Exception {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("storage", storage.toString());
        props.put("directory", "");
        props.put("maxSizeMb", 1);
        props.put("pollSeconds", pollSeconds);
        ServiceReference<ConnectorDeployer> before = context.getServiceReference(ConnectorDeployer.class);
        Object oldId = before == null ? null : before.getProperty("service.id");
        boolean changed = cm.getConfiguration("org.rollbook.deploy", "?").updateIfDifferent(props);
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            for (ServiceReference<ConnectorDeployer> ref : context.getServiceReferences(ConnectorDeployer.class,
                    "(&(storage=" + storage.toString().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                            + ")(pollSeconds=" + pollSeconds + "))")) {
                if (!changed || !ref.getProperty("service.id").equals(oldId)) {
                    return context.getService(ref);
                }
            }
            assertTrue("the deployer took its configuration", System.currentTimeMillis() < deadline);
            Thread.sleep(100);
        }
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private Optional<ConnectorBundle> listed(String bsn) {
        return deployer.list().stream().filter(c -> c.symbolicName().equals(bsn)).findFirst();
    }

    private DeployResult upload(Path jar) throws Exception {
        try (InputStream in = Files.newInputStream(jar)) {
            return deployer.install(jar.getFileName().toString(), in);
        }
    }

    private DeployException refusal(Path jar) throws Exception {
        try (InputStream in = Files.newInputStream(jar)) {
            deployer.install("uploads/" + jar.getFileName(), in);
        } catch (DeployException e) {
            return e;
        }
        fail(jar.getFileName() + " was accepted");
        return null;
    }

    @Test
    public void theBuiltInConnectorsAreListed() {
        ConnectorBundle clever = listed(CLEVER).orElseThrow();
        assertEquals(ConnectorSource.BUILT_IN, clever.source());
        assertEquals("active", clever.state());
        assertEquals("0.1.0.SNAPSHOT", clever.version());
        assertTrue(clever.location(), clever.location().endsWith(".jar"));
        assertTrue(listed("org.rollbook.connector.classlink").isPresent());
        assertFalse("the sync engine is not a connector", listed("org.rollbook.sync").isPresent());
    }

    @Test
    public void anUploadUpdatesTheBuiltInConnectorAndRemovingItBringsTheBuiltInBack() throws Exception {
        DeployResult updated = upload(ConnectorJars.clever(build.resolve("clever-0.1.1.jar"), "0.1.1"));
        assertEquals(updated.message(), Action.UPDATED, updated.action());
        assertEquals("0.1.0.SNAPSHOT", updated.previousVersion());
        assertEquals("0.1.1", bundle(CLEVER).getVersion().toString());
        assertEquals(Bundle.ACTIVE, bundle(CLEVER).getState());
        ConnectorBundle listed = listed(CLEVER).orElseThrow();
        assertEquals(ConnectorSource.UPLOAD, listed.source());
        assertEquals("clever-0.1.1.jar", listed.location());
        assertEquals("0.1.1", listed.version());
        assertTrue("a copy survives restarts", Files.isRegularFile(storage.resolve(CLEVER + ".jar")));

        DeployResult reverted = deployer.uninstall(CLEVER);
        assertEquals(reverted.message(), Action.REVERTED, reverted.action());
        assertEquals(CLEVER + " is back to its built-in version 0.1.0.SNAPSHOT (0.1.1 was removed)", reverted.message());
        assertEquals("0.1.0.SNAPSHOT", bundle(CLEVER).getVersion().toString());
        assertEquals(Bundle.ACTIVE, bundle(CLEVER).getState());
        assertEquals(ConnectorSource.BUILT_IN, listed(CLEVER).orElseThrow().source());
        assertFalse(Files.exists(storage.resolve(CLEVER + ".jar")));
    }

    @Test
    public void anUploadIsInstalledAgainWhenTheDeployerStartsFromACleanCache() throws Exception {
        assertEquals(Action.UPDATED, upload(ConnectorJars.clever(build.resolve("clever-0.1.3.jar"), "0.1.3")).action());
        // what the launcher's clean framework cache does at a restart: the built-in version is installed again
        try (InputStream original = Files.newInputStream(ConnectorJars.exported(CLEVER))) {
            bundle(CLEVER).update(original);
        }
        assertEquals("0.1.0.SNAPSHOT", bundle(CLEVER).getVersion().toString());
        deployer = reconfigure(3); // a new deployer instance: it starts as at a server start
        long deadline = System.currentTimeMillis() + 30_000;
        while (!bundle(CLEVER).getVersion().toString().equals("0.1.3")) {
            assertTrue("the uploaded version was installed again: " + bundle(CLEVER).getVersion(), System.currentTimeMillis() < deadline);
            Thread.sleep(100);
        }
        assertEquals(Bundle.ACTIVE, bundle(CLEVER).getState());
        assertEquals(ConnectorSource.UPLOAD, listed(CLEVER).orElseThrow().source());
        long modified = bundle(CLEVER).getLastModified();
        deployer = reconfigure(2); // and once more: now the bundle is in place, nothing is installed twice
        Thread.sleep(1000);
        assertEquals(modified, bundle(CLEVER).getLastModified());
        assertEquals(1, java.util.Arrays.stream(context.getBundles()).filter(b -> CLEVER.equals(b.getSymbolicName())).count());
        assertEquals(Action.REVERTED, deployer.uninstall(CLEVER).action());
    }

    @Test
    public void aNewConnectorIsInstalledAndRemoved() throws Exception {
        String bsn = "org.example.roster.skyward";
        DeployResult installed = upload(ConnectorJars.bundle(build.resolve("skyward.jar"), Map.of("Bundle-SymbolicName", bsn,
                "Bundle-Version", "1.0.0", "Provide-Capability", ConnectorJars.CONNECTOR_CAPABILITY)));
        assertEquals(installed.message(), Action.INSTALLED, installed.action());
        assertEquals("installed " + bsn + " 1.0.0 from the upload skyward.jar", installed.message());
        assertEquals(Bundle.ACTIVE, bundle(bsn).getState());
        ConnectorBundle listed = listed(bsn).orElseThrow();
        assertEquals(ConnectorSource.UPLOAD, listed.source());
        assertEquals("nothing registered: it has no component", 0, listed.providers().size());

        DeployResult again = upload(ConnectorJars.bundle(build.resolve("skyward-1.0.1.jar"), Map.of("Bundle-SymbolicName", bsn,
                "Bundle-Version", "1.0.1", "Provide-Capability", ConnectorJars.CONNECTOR_CAPABILITY)));
        assertEquals(Action.UPDATED, again.action());
        assertEquals("updated, not installed twice", 1,
                java.util.Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).count());

        DeployResult removed = deployer.uninstall(bsn);
        assertEquals(Action.UNINSTALLED, removed.action());
        assertEquals("removed " + bsn + " 1.0.1", removed.message());
        assertEquals(null, bundle(bsn));
        assertFalse(Files.exists(storage.resolve(bsn + ".jar")));
    }

    @Test
    public void aConnectorThatCannotStartIsNotLeftBehind() throws Exception {
        DeployException e = refusal(ConnectorJars.bundle(build.resolve("broken.jar"), Map.of("Bundle-SymbolicName",
                "org.example.broken", "Bundle-Version", "1.0.0", "Provide-Capability", ConnectorJars.CONNECTOR_CAPABILITY,
                "Import-Package", "org.example.missing")));
        assertEquals(e.getMessage(), Reason.FAILED, e.reason());
        assertTrue(e.getMessage(), e.getMessage().startsWith("broken.jar (org.example.broken 1.0.0) cannot be started, so it"
                + " was not installed: Unable to resolve"));
        assertTrue(e.getMessage(), e.getMessage().contains("org.example.missing"));
        assertEquals(null, bundle("org.example.broken"));

        Path source = ConnectorJars.exported(CLEVER);
        String imports;
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(source.toFile())) {
            imports = jar.getManifest().getMainAttributes().getValue("Import-Package");
        }
        DeployException update = refusal(ConnectorJars.withHeaders(source, build.resolve("clever-broken.jar"),
                Map.of("Bundle-Version", "0.2.0", "Import-Package", imports + ",org.example.missing")));
        assertEquals(update.getMessage(), Reason.FAILED, update.reason());
        assertTrue(update.getMessage(), update.getMessage().endsWith("The previous version 0.1.0.SNAPSHOT was restored"));
        assertEquals("0.1.0.SNAPSHOT", bundle(CLEVER).getVersion().toString());
        assertEquals(Bundle.ACTIVE, bundle(CLEVER).getState());
    }

    @Test
    public void whatIsNotAConnectorIsRefusedWithAReason() throws Exception {
        DeployException junk = refusal(Files.write(build.resolve("junk.jar"), new byte[] {1, 2, 3}));
        assertEquals(Reason.REFUSED, junk.reason());
        assertTrue(junk.getMessage(), junk.getMessage().startsWith("junk.jar is not a jar file"));

        DeployException http = refusal(ConnectorJars.exported("org.rollbook.http"));
        assertEquals(Reason.REFUSED, http.reason());
        assertEquals(ConnectorJars.exported("org.rollbook.http").getFileName()
                + " is not a Rollbook connector: it does not provide org.rollbook.api.roster.RosterConnector", http.getMessage());

        DeployException sync = refusal(ConnectorJars.withHeaders(ConnectorJars.exported("org.rollbook.sync"),
                build.resolve("sync.jar"), Map.of("Provide-Capability", ConnectorJars.CONNECTOR_CAPABILITY)));
        assertEquals("sync.jar is org.rollbook.sync, a bundle of the Rollbook server itself: only connectors are installed here",
                sync.getMessage());

        DeployException big;
        try {
            deployer.install("big.jar", new ByteArrayInputStream(new byte[2 * 1024 * 1024]));
            fail("accepted");
            return;
        } catch (DeployException e) {
            big = e;
        }
        assertEquals(Reason.TOO_LARGE, big.reason());
        assertEquals("big.jar is larger than the limit of 1 MB", big.getMessage());

        try {
            deployer.uninstall("org.rollbook.sync");
            fail("removed the sync engine");
        } catch (DeployException e) {
            assertEquals(Reason.REFUSED, e.reason());
        }
        try {
            deployer.uninstall("org.example.nothing");
            fail("removed nothing");
        } catch (DeployException e) {
            assertEquals(Reason.NOT_FOUND, e.reason());
            assertEquals("there is no connector bundle org.example.nothing", e.getMessage());
        }
        assertNotNull(bundle("org.rollbook.sync"));
        try (var left = Files.list(storage)) {
            assertEquals("no upload left behind", 0, left.count());
        }
    }
}
