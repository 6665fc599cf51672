package org.rollbook.server.internal;

import java.util.Collection;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.rollbook.api.store.PatronStore;
import org.rollbook.api.store.StoreStatus;

/**
 * Watches the server come up: once the patron store is open and HTTP answers, prints where the API and
 * the data are. If a Rollbook component fails to activate, the port is taken, or startup does not
 * finish in time, prints one line saying why and exits with status 1, so there is never a
 * half-started server. Only active when the launcher sets {@code rollbook.startup.check=exit}.
 */
@Component(immediate = true, service = {})
public class StartupCheck {

    static final String CHECK = "rollbook.startup.check";
    static final String TIMEOUT = "rollbook.startup.timeout";
    static final String HTTP_RUNTIME = "org.osgi.service.servlet.runtime.HttpServiceRuntime";
    static final long SETTLE_MS = 800;
    static final String RUNTIME_INIT = "org.apache.felix.http.runtime.init.";

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final ConfigurationAdmin cm;
    private final Thread watcher;

    @Activate
    public StartupCheck(BundleContext context, @Reference ServiceComponentRuntime scr,
            @Reference ConfigurationAdmin cm) {
        this.context = context;
        this.scr = scr;
        this.cm = cm;
        this.watcher = "exit".equals(context.getProperty(CHECK)) ? new Thread(this::watch, "rollbook-startup-check") : null;
        if (watcher != null) {
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    @Deactivate
    void deactivate() {
        if (watcher != null) {
            watcher.interrupt();
        }
    }

    private void watch() {
        long start = System.nanoTime();
        long timeoutMs = Long.parseLong(Optional.ofNullable(context.getProperty(TIMEOUT)).orElse("60")) * 1000;
        int portTakenChecks = 0;
        long runtimeId = -1;
        long stableSince = 0;
        java.util.Properties etcHttp = HttpSettings.etcFile(context);
        try {
            while (true) {
                Optional<String> failure = failedComponent();
                if (failure.isPresent()) {
                    fail(failure.get());
                    return;
                }
                ServiceReference<?> runtime = httpRuntime();
                String endpoint = runtime == null ? null : endpoint(runtime);
                StoreStatus store = storeStatus();
                long id = runtime == null ? -1 : (Long) runtime.getProperty(org.osgi.framework.Constants.SERVICE_ID);
                if (id != runtimeId) {
                    runtimeId = id;
                    stableSince = System.nanoTime();
                }
                // Felix HTTP restarts Jetty when etc/ delivers its configuration: announce only after that,
                // once the same HTTP runtime has been up for a moment.
                boolean settled = runtime != null && httpConfigured(runtime, etcHttp)
                        && (System.nanoTime() - stableSince) / 1_000_000 >= SETTLE_MS;
                if (endpoint != null && store != null && store.open() && settled) {
                    announce(endpoint, store);
                    return;
                }
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                if (endpoint == null && elapsedMs > 3_000) {
                    // Jetty logs a bind failure and gives up; a port we cannot bind either, twice, is taken.
                    HttpSettings http = HttpSettings.read(context, cm);
                    portTakenChecks = http.taken() ? portTakenChecks + 1 : 0;
                    if (portTakenChecks >= 3) {
                        fail(http.portInUseMessage());
                        return;
                    }
                }
                if (elapsedMs > timeoutMs) {
                    fail("not up after " + timeoutMs / 1000 + " s: " + (endpoint == null ? "HTTP is not listening" : "")
                            + (endpoint == null && (store == null || !store.open()) ? "; " : "")
                            + (store == null ? "no patron store (is etc/org.rollbook.store.derby.cfg there?)"
                                    : store.open() ? "" : "patron store: " + store.detail()));
                    return;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private void announce(String endpoint, StoreStatus store) {
        String base = endpoint.endsWith("/") ? endpoint : endpoint + "/";
        System.out.println("Rollbook " + context.getBundle().getVersion() + " is running at " + base);
        System.out.println("  console: " + base + "console/ (user admin: password from ROLLBOOK_ADMIN_PASSWORD, or printed at the first start)");
        System.out.println("  patrons: " + base + "sso/ (sign-in with Clever or ClassLink, when turned on)");
        System.out.println("  health:  " + base + "api/health");
        System.out.println("  data:    " + store.location() + " (" + store.patrons() + " patrons)");
        System.out.println("  config:  " + HttpSettings.etc(context));
        System.out.println("  stop:    Ctrl-C (or SIGTERM)");
    }

    private static void fail(String reason) {
        System.err.println("rollbook: cannot start: " + reason);
        System.err.flush();
        // The reason is said; what bundles log while the framework stops around a failed start is noise.
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        // The shutdown hook stops the framework in order; the exit status is ours.
        Thread exit = new Thread(() -> System.exit(1), "rollbook-startup-exit");
        exit.start();
    }

    /** The first Rollbook component whose activation failed, as one line. */
    private Optional<String> failedComponent() {
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (!d.bundle.symbolicName.startsWith("org.rollbook.")) {
                continue;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    return Optional.of(oneLine(c.failure));
                }
            }
        }
        return Optional.empty();
    }

    /** The message of the innermost exception in a stack trace text, without class names. */
    static String oneLine(String failure) {
        if (failure == null || failure.isBlank()) {
            return "a component failed to start";
        }
        String message = null;
        for (String line : failure.split("\\R")) {
            String l = line.strip();
            if (l.startsWith("at ") || l.startsWith("...") || l.isEmpty()) {
                continue;
            }
            if (l.startsWith("Caused by: ")) {
                l = l.substring("Caused by: ".length());
            }
            message = l;
        }
        String m = message == null ? failure.strip() : message;
        // drop leading exception class names ("org.x.StoreException: the data directory ...")
        while (m.matches("^[\\w.$]+(Exception|Error): .*")) {
            m = m.substring(m.indexOf(": ") + 2);
        }
        return m;
    }

    private ServiceReference<?> httpRuntime() {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(HTTP_RUNTIME, null);
            return refs == null || refs.length == 0 ? null : refs[0];
        } catch (InvalidSyntaxException impossible) {
            return null;
        }
    }

    private static String endpoint(ServiceReference<?> r) {
        Object e = r.getProperty("osgi.http.endpoint");
        if (e instanceof String s) {
            return s;
        }
        if (e instanceof String[] a && a.length > 0) {
            return a[0];
        }
        if (e instanceof Collection<?> c && !c.isEmpty()) {
            return String.valueOf(c.iterator().next());
        }
        return null;
    }

    /**
     * True when Jetty runs with the etc/ configuration. Felix HTTP copies keys prefixed
     * {@value #RUNTIME_INIT} onto the runtime's service properties, so a marker there (see
     * run/etc/org.apache.felix.http.cfg) shows exactly when that configuration is in use. Without a marker,
     * the configuration being known to ConfigurationAdmin is the best sign there is.
     */
    private boolean httpConfigured(ServiceReference<?> runtime, java.util.Properties etc) {
        if (etc == null) {
            return true;
        }
        boolean marked = false;
        for (String key : etc.stringPropertyNames()) {
            if (key.startsWith(RUNTIME_INIT)) {
                marked = true;
                if (!etc.getProperty(key).strip().equals(String.valueOf(runtime.getProperty(key.substring(RUNTIME_INIT.length()))))) {
                    return false;
                }
            }
        }
        if (marked) {
            return true;
        }
        try {
            return cm.listConfigurations("(" + org.osgi.framework.Constants.SERVICE_PID + "=" + HttpSettings.PID + ")") != null;
        } catch (java.io.IOException | InvalidSyntaxException e) {
            return true;
        }
    }

    private StoreStatus storeStatus() {
        ServiceReference<PatronStore> ref = context.getServiceReference(PatronStore.class);
        if (ref == null) {
            return null;
        }
        PatronStore store = context.getService(ref);
        try {
            return store == null ? null : store.status();
        } finally {
            context.ungetService(ref);
        }
    }

}
