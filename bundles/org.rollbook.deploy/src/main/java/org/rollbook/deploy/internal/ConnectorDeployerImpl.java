package org.rollbook.deploy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.rollbook.api.deploy.ConnectorBundle;
import org.rollbook.api.deploy.ConnectorDeployer;
import org.rollbook.api.deploy.ConnectorSource;
import org.rollbook.api.deploy.DeployException;
import org.rollbook.api.deploy.DeployException.Reason;
import org.rollbook.api.deploy.DeployResult;
import org.rollbook.api.deploy.DeployResult.Action;
import org.rollbook.api.deploy.RefusedJar;
import org.rollbook.deploy.internal.Deployments.Deployment;
import org.rollbook.deploy.internal.FolderScan.Change;
import org.rollbook.deploy.internal.FolderScan.Changed;
import org.rollbook.deploy.internal.FolderScan.Removed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, updates and removes connector bundles while the server runs: uploads through the service, and
 * jars dropped into (or removed from) the watched deploy folder. Every change to the framework happens under
 * one lock, one at a time. A copy of each deployed jar is kept in {@code storage}, since the launcher starts
 * from a clean framework cache: uploads are installed again from it at start, and a failed update goes back
 * to it (or, for a built-in connector, to the version in the server jar).
 */
@Component(service = ConnectorDeployer.class, configurationPid = ConnectorDeployerImpl.PID, immediate = true)
@Designate(ocd = DeployConfiguration.class)
public class ConnectorDeployerImpl implements ConnectorDeployer {

    static final String PID = "org.rollbook.deploy";
    /** Location of the bundles this component installs (an update keeps a bundle's original location). */
    static final String LOCATION = "rollbook:connector:";
    static final String SYNC_BUNDLE = "org.rollbook.sync";
    static final String PROVIDER = "rollbook.provider";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorDeployerImpl.class);

    private final BundleContext context;
    private final long maxBytes;
    private final Deployments deployments;
    private final FolderScan folder;
    private final String folderName;
    private final Map<Path, RefusedJar> refused = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rollbook-deploy");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    private String lastPollProblem;

    @Activate
    public ConnectorDeployerImpl(BundleContext context, DeployConfiguration config) throws IOException {
        // nothing is created in the working directory until something is deployed
        this.context = context;
        this.maxBytes = Math.max(1, config.maxSizeMb()) * ConnectorJar.MB;
        try {
            this.deployments = new Deployments(Path.of(config.storage()).toAbsolutePath());
        } catch (IOException | InvalidPathException e) {
            throw new IOException("cannot keep deployed connectors in " + config.storage() + ": " + e.getMessage(), e);
        }
        this.folderName = config.directory().strip().replaceAll("[/\\\\]+$", "");
        this.folder = folderName.isEmpty() ? null : watch(folderName);
        poller.execute(this::restore);
        if (folder != null) {
            poller.scheduleWithFixedDelay(this::poll, 0, Math.max(1, config.pollSeconds()), TimeUnit.SECONDS);
        }
    }

    /** A folder that does not exist (yet) is watched all the same: it is picked up once it is created. */
    private static FolderScan watch(String directory) {
        try {
            Path dir = Path.of(directory).toAbsolutePath();
            if (!Files.isDirectory(dir)) {
                LOG.info("the deploy folder {} does not exist; connector jars are picked up once it is created", dir);
            }
            return new FolderScan(dir);
        } catch (InvalidPathException e) {
            LOG.warn("the deploy folder is not watched: {} is not a path: {}", directory, e.getMessage());
            return null;
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        poller.shutdownNow();
        poller.awaitTermination(30, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ the service

    @Override
    public List<ConnectorBundle> list() {
        List<ConnectorBundle> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getState() == Bundle.UNINSTALLED || !isConnector(b)) {
                continue;
            }
            Optional<Deployment> d = deployments.get(b.getSymbolicName());
            ConnectorSource source = d.map(Deployment::source)
                    .orElse(b.getLocation().startsWith(LOCATION) ? ConnectorSource.UPLOAD : ConnectorSource.BUILT_IN);
            String location = d.map(x -> x.source() == ConnectorSource.DEPLOY_FOLDER ? shown(x.file()) : x.file())
                    .orElse(b.getLocation());
            List<String> providers = new ArrayList<>();
            for (ServiceReference<?> ref : connectorServices(b)) {
                Object p = ref.getProperty(PROVIDER);
                if (p != null) {
                    providers.add(p.toString());
                }
            }
            out.add(new ConnectorBundle(b.getSymbolicName(), b.getVersion().toString(), state(b), providers, source, location,
                    inUse(b)));
        }
        out.sort(Comparator.comparing(ConnectorBundle::symbolicName));
        return out;
    }

    @Override
    public DeployResult install(String fileName, InputStream jar) {
        String name = ConnectorJar.displayName(fileName);
        Path incoming = null;
        try {
            incoming = ConnectorJar.receive(jar, deployments.created(), name, maxBytes);
            ConnectorJar inspected = ConnectorJar.inspect(incoming, name, maxBytes);
            synchronized (lock) {
                return installChecked(inspected, ConnectorSource.UPLOAD, name);
            }
        } catch (IOException e) {
            throw new DeployException(Reason.FAILED, "cannot receive " + name + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(incoming);
        }
    }

    @Override
    public DeployResult uninstall(String symbolicName) {
        synchronized (lock) {
            Bundle b = find(symbolicName);
            if (b == null) {
                throw new DeployException(Reason.NOT_FOUND, "there is no connector bundle " + symbolicName);
            }
            if (!isConnector(b)) {
                throw new DeployException(Reason.REFUSED, symbolicName + " is not a connector but a bundle of the server:"
                        + " it cannot be removed here");
            }
            Optional<Deployment> d = deployments.get(symbolicName);
            if (d.isPresent() && d.get().source() == ConnectorSource.DEPLOY_FOLDER && folder != null) {
                Path file = folder.directory().resolve(d.get().file());
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new DeployException(Reason.FAILED, symbolicName + " comes from " + shown(d.get().file())
                            + ", which cannot be deleted: " + e.getMessage() + "; nothing was changed", e);
                }
                folder.forget(file);
                clearRefusal(file);
            }
            return revertOrRemove(b);
        }
    }

    @Override
    public List<RefusedJar> refused() {
        List<RefusedJar> out = new ArrayList<>(refused.values());
        out.sort(Comparator.comparing(RefusedJar::file));
        return out;
    }

    // ------------------------------------------------------------------ installing

    /** Installs or updates a checked jar and starts it; records the deployment. Called under the lock. */
    private DeployResult installChecked(ConnectorJar jar, ConnectorSource source, String file) {
        String bsn = jar.symbolicName();
        Optional<Deployment> owner = deployments.get(bsn);
        if (source == ConnectorSource.UPLOAD && owner.isPresent() && owner.get().source() == ConnectorSource.DEPLOY_FOLDER) {
            throw new DeployException(Reason.CONFLICT, bsn + " comes from " + shown(owner.get().file())
                    + ": replace or remove that file instead of uploading " + file);
        }
        Bundle existing = find(bsn);
        if (existing != null && !isConnector(existing)) {
            throw ConnectorJar.refused(file + " is " + bsn + ", which is installed as a bundle of the server, not as a connector");
        }
        Bundle b;
        String previous = existing == null ? null : existing.getVersion().toString();
        boolean wasInUse = existing != null && inUse(existing);
        if (existing == null) {
            try (InputStream in = Files.newInputStream(jar.file())) {
                b = context.installBundle(LOCATION + bsn, in);
            } catch (IOException | BundleException e) {
                throw new DeployException(Reason.FAILED, file + " (" + jar.name() + ") cannot be installed: " + reason(e), e);
            }
            b.adapt(BundleStartLevel.class).setStartLevel(context.getBundle().adapt(BundleStartLevel.class).getStartLevel());
            try {
                b.start();
            } catch (BundleException | IllegalStateException e) {
                uninstallQuietly(b);
                throw new DeployException(Reason.FAILED, file + " (" + jar.name() + ") cannot be started, so it was not"
                        + " installed: " + reason(e), e);
            }
        } else {
            b = existing;
            long before = b.getLastModified();
            try (InputStream in = Files.newInputStream(jar.file())) {
                b.update(in);
            } catch (IOException | BundleException e) {
                if (b.getLastModified() != before) {
                    // Felix replaced the content, then could not restart it (e.g. an import nobody exports)
                    throw new DeployException(Reason.FAILED, file + " (" + jar.name() + ") cannot be started: " + reason(e)
                            + ". " + restorePrevious(b, previous, owner), e);
                }
                throw new DeployException(Reason.FAILED, file + " (" + jar.name() + ") cannot replace " + bsn + " " + previous
                        + ": " + reason(e) + "; " + previous + " stays installed", e);
            }
            refreshIfPending(b);
            try {
                b.start();
            } catch (BundleException | IllegalStateException e) {
                throw new DeployException(Reason.FAILED, file + " (" + jar.name() + ") cannot be started: " + reason(e) + ". "
                        + restorePrevious(b, previous, owner), e);
            }
        }
        try {
            deployments.put(new Deployment(bsn, source, file, jar.version().toString(), jar.sha256(), b.getLastModified()),
                    jar.file());
        } catch (IOException e) {
            LOG.warn("{} is installed, but its copy could not be kept in {} (it will not come back after a restart): {}",
                    jar.name(), deployments.directory(), e.getMessage());
        }
        String from = source == ConnectorSource.DEPLOY_FOLDER ? shown(file) : "the upload " + file;
        String message = existing == null ? "installed " + jar.name() + " from " + from
                : "updated " + bsn + " from " + previous + " to " + jar.version() + " (" + from + ")"
                        + (wasInUse ? "; the sync engine uses the new version from its next run" : "");
        LOG.info("{}", message);
        return new DeployResult(existing == null ? Action.INSTALLED : Action.UPDATED, bsn, jar.version().toString(), previous,
                message);
    }

    /** After an update that cannot start: the previous jar back (our copy, or the built-in one), in words. */
    private String restorePrevious(Bundle b, String previous, Optional<Deployment> owner) {
        try (InputStream in = owner.isPresent() ? Files.newInputStream(deployments.jar(b.getSymbolicName())) : original(b)) {
            if (in == null) {
                return "The previous version " + previous + " cannot be restored: install a working one (or restart the server"
                        + " for the built-in one)";
            }
            b.update(in);
            refreshIfPending(b);
            b.start();
            return "The previous version " + previous + " was restored";
        } catch (IOException | BundleException | IllegalStateException e) {
            return "The previous version " + previous + " could not be restored either (" + reason(e) + ")";
        }
    }

    /**
     * Removes a connector: an update of a built-in one goes back to the built-in version, anything else is
     * uninstalled. Removing the connector the sync engine uses is allowed, and said in a warning.
     */
    private DeployResult revertOrRemove(Bundle b) {
        String bsn = b.getSymbolicName();
        String version = b.getVersion().toString();
        boolean wasInUse = inUse(b);
        boolean builtIn = !b.getLocation().startsWith(LOCATION);
        boolean updated = deployments.get(bsn).isPresent();
        DeployResult result = null;
        if (builtIn && updated) {
            try (InputStream in = original(b)) {
                if (in != null) {
                    b.update(in);
                    refreshIfPending(b);
                    b.start();
                    result = new DeployResult(Action.REVERTED, bsn, b.getVersion().toString(), version, bsn
                            + " is back to its built-in version " + b.getVersion() + " (" + version + " was removed)");
                }
            } catch (IOException | BundleException | IllegalStateException e) {
                LOG.warn("{} {} cannot go back to its built-in version ({}); removing it", bsn, version, reason(e));
            }
        }
        if (result == null) {
            try {
                b.uninstall();
            } catch (BundleException | IllegalStateException e) {
                throw new DeployException(Reason.FAILED, bsn + " " + version + " cannot be removed: " + reason(e), e);
            }
            refreshIfPending(b);
            result = new DeployResult(Action.UNINSTALLED, bsn, version, null, "removed " + bsn + " " + version
                    + (builtIn ? "; it is part of the server jar and comes back at the next start" : ""));
        }
        try {
            deployments.remove(bsn);
        } catch (IOException e) {
            LOG.warn("cannot delete the kept copy of {}: {}", bsn, e.getMessage());
        }
        if (wasInUse) {
            String then = result.action() == Action.REVERTED ? "it uses the built-in version from its next run"
                    : "syncs are refused until a connector is configured again";
            result = new DeployResult(result.action(), bsn, result.version(), result.previousVersion(),
                    result.message() + ". The sync engine was using it: " + then);
            LOG.warn("{}", result.message());
        } else {
            LOG.info("{}", result.message());
        }
        return result;
    }

    // ------------------------------------------------------------------ start and the deploy folder

    /** At start: uploaded connectors back in (the framework cache was cleaned), deploy-folder ones whose jar is gone out. */
    private void restore() {
        synchronized (lock) {
            for (Deployment d : deployments.all()) {
                try {
                    Bundle b = find(d.symbolicName());
                    if (d.source() == ConnectorSource.DEPLOY_FOLDER) {
                        if (folder == null || !Files.isRegularFile(folder.directory().resolve(d.file()))) {
                            if (b != null && isConnector(b)) {
                                revertOrRemove(b);
                            } else {
                                deployments.remove(d.symbolicName());
                            }
                        }
                        continue; // otherwise the first look at the folder installs it (or finds it in place)
                    }
                    if (b != null && b.getLastModified() == d.bundleLastModified() && b.getVersion().toString().equals(d.version())) {
                        continue; // the framework cache kept it
                    }
                    installChecked(ConnectorJar.inspect(deployments.jar(d.symbolicName()), d.file(), maxBytes), d.source(), d.file());
                } catch (DeployException | IOException e) {
                    LOG.warn("the deployed connector {} could not be installed again: {}", d.symbolicName(), e.getMessage());
                } catch (RuntimeException e) {
                    LOG.error("the deployed connector {} could not be installed again", d.symbolicName(), e);
                }
            }
        }
    }

    private void poll() {
        List<Change> changes;
        try {
            changes = folder.poll();
            lastPollProblem = null;
        } catch (IOException e) {
            String problem = "cannot read the deploy folder " + folderName + ": " + e.getMessage();
            if (!problem.equals(lastPollProblem)) {
                LOG.warn("{}", problem);
                lastPollProblem = problem;
            }
            return;
        }
        for (Change change : changes) {
            try {
                synchronized (lock) {
                    if (change instanceof Removed r) {
                        removedFromFolder(r.file());
                    } else {
                        deployFromFolder((Changed) change);
                    }
                }
            } catch (RuntimeException e) {
                LOG.error("deploy folder: {} could not be handled", change.file().getFileName(), e);
            }
        }
    }

    private void deployFromFolder(Changed change) {
        Path file = change.file();
        String name = file.getFileName().toString();
        Path copy = null;
        try {
            copy = Files.createTempFile(deployments.created(), ".copy-", ".jar");
            Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            ConnectorJar jar = ConnectorJar.inspect(copy, name, maxBytes);
            Optional<Deployment> owner = deployments.get(jar.symbolicName());
            if (owner.isPresent() && owner.get().source() == ConnectorSource.DEPLOY_FOLDER && !owner.get().file().equals(name)
                    && Files.isRegularFile(folder.directory().resolve(owner.get().file()))) {
                throw ConnectorJar.refused(name + " holds " + jar.symbolicName() + ", which " + shown(owner.get().file())
                        + " already provides: keep one of them");
            }
            Bundle b = find(jar.symbolicName());
            boolean inPlace = owner.isPresent() && b != null && owner.get().source() == ConnectorSource.DEPLOY_FOLDER
                    && owner.get().file().equals(name) && owner.get().sha256().equals(jar.sha256())
                    && b.getLastModified() == owner.get().bundleLastModified();
            if (!inPlace) {
                installChecked(jar, ConnectorSource.DEPLOY_FOLDER, name);
            }
            clearRefusal(file);
        } catch (DeployException e) {
            refuse(file, e.getMessage());
        } catch (IOException e) {
            refuse(file, "cannot read " + name + ": " + e.getMessage());
        } finally {
            deleteQuietly(copy);
        }
        folder.handled(change);
    }

    private void removedFromFolder(Path file) {
        clearRefusal(file);
        String name = file.getFileName().toString();
        for (Deployment d : deployments.all()) {
            if (d.source() == ConnectorSource.DEPLOY_FOLDER && d.file().equals(name)) {
                Bundle b = find(d.symbolicName());
                if (b != null && isConnector(b)) {
                    revertOrRemove(b);
                } else {
                    try {
                        deployments.remove(d.symbolicName());
                    } catch (IOException e) {
                        LOG.warn("cannot delete the kept copy of {}: {}", d.symbolicName(), e.getMessage());
                    }
                }
            }
        }
    }

    /** One WARN line, the reason next to the jar in {@code <name>.jar.error}, and in {@link #refused()}. */
    private void refuse(Path file, String reason) {
        String name = file.getFileName().toString();
        LOG.warn("deploy folder: {}", reason);
        refused.put(file, new RefusedJar(shown(name), reason, Instant.now()));
        try {
            Files.writeString(errorFile(file), reason + System.lineSeparator());
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", errorFile(file), e.getMessage());
        }
    }

    private void clearRefusal(Path file) {
        refused.remove(file);
        deleteQuietly(errorFile(file));
    }

    private static Path errorFile(Path jar) {
        return jar.resolveSibling(jar.getFileName() + ".error");
    }

    private String shown(String fileName) {
        return folderName + "/" + fileName;
    }

    // ------------------------------------------------------------------ the framework

    private Bundle find(String symbolicName) {
        Bundle found = null;
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED
                    && (found == null || b.getVersion().compareTo(found.getVersion()) > 0)) {
                found = b;
            }
        }
        return found;
    }

    /** Declares the connector service in its manifest, or registers one. */
    static boolean isConnector(Bundle b) {
        BundleRevision revision = b.adapt(BundleRevision.class);
        if (revision != null) {
            for (BundleCapability c : revision.getDeclaredCapabilities("osgi.service")) {
                Object objectClass = c.getAttributes().get(Constants.OBJECTCLASS);
                if (objectClass instanceof Collection<?> names ? names.contains(ConnectorJar.CONNECTOR)
                        : ConnectorJar.CONNECTOR.equals(objectClass)) {
                    return true;
                }
            }
        }
        return !connectorServices(b).isEmpty();
    }

    static List<ServiceReference<?>> connectorServices(Bundle b) {
        List<ServiceReference<?>> out = new ArrayList<>();
        ServiceReference<?>[] registered = b.getState() == Bundle.UNINSTALLED ? null : b.getRegisteredServices();
        if (registered != null) {
            for (ServiceReference<?> ref : registered) {
                if (List.of((String[]) ref.getProperty(Constants.OBJECTCLASS)).contains(ConnectorJar.CONNECTOR)) {
                    out.add(ref);
                }
            }
        }
        return out;
    }

    /** Whether the sync engine holds one of its connector services. */
    static boolean inUse(Bundle b) {
        for (ServiceReference<?> ref : connectorServices(b)) {
            Bundle[] users = ref.getUsingBundles();
            if (users != null) {
                for (Bundle u : users) {
                    if (SYNC_BUNDLE.equals(u.getSymbolicName())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The jar a built-in bundle was installed from: the bnd launcher installs {@code jar/<name>.jar} from the
     * executable jar (on the class path); other launchers (the tests) use URLs. Null for our own installs.
     */
    private static InputStream original(Bundle b) {
        String location = b.getLocation();
        if (location.startsWith(LOCATION)) {
            return null;
        }
        InputStream in = ClassLoader.getSystemClassLoader().getResourceAsStream(location);
        if (in != null) {
            return in;
        }
        try {
            return new URL(location).openStream();
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Refreshes the bundle when an old revision of it is still wired (an update or uninstall left it pending). */
    private void refreshIfPending(Bundle b) {
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        if (!wiring.getRemovalPendingBundles().contains(b)) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(List.of(b), event -> done.countDown());
        try {
            if (!done.await(60, TimeUnit.SECONDS)) {
                LOG.warn("refreshing {} takes longer than a minute", b.getSymbolicName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void uninstallQuietly(Bundle b) {
        try {
            b.uninstall();
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("cannot uninstall {} again: {}", b.getSymbolicName(), e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("cannot delete {}: {}", file, e.getMessage());
            }
        }
    }

    static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.ACTIVE -> "active";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.INSTALLED -> "installed";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            default -> "uninstalled";
        };
    }

    /** A framework message in one line: Felix's resolver repeats the missing requirement after this marker. */
    static String reason(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int repeat = m.indexOf(" Unresolved requirements:");
        return (repeat > 0 ? m.substring(0, repeat) : m).replaceAll("\\s+", " ").strip();
    }
}
