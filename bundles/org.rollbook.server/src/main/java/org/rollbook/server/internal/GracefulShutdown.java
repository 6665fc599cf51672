package org.rollbook.server.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The bnd launcher registers no shutdown hook, so on SIGTERM nothing would deactivate and Derby would
 * not close. This hook stops the framework in order and waits for it.
 */
@Component(immediate = true, service = {})
public class GracefulShutdown {

    static final long STOP_TIMEOUT_MS = 30_000;

    private final Thread hook;

    @Activate
    public GracefulShutdown(BundleContext context) {
        Bundle system = context.getBundle(0);
        this.hook = new Thread(() -> stop(system), "rollbook-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Deactivate
    void deactivate() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // we are being stopped by the hook itself
        }
    }

    private static void stop(Bundle system) {
        try {
            system.stop();
            if (system instanceof Framework framework) {
                framework.waitForStop(STOP_TIMEOUT_MS);
            }
        } catch (BundleException | InterruptedException | IllegalStateException e) {
            System.err.println("rollbook: shutdown was not orderly: " + e.getMessage());
        }
    }
}
