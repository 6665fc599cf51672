package org.rollbook.server.internal;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Runs at start level 1, before Jetty or the store start: when the HTTP port is already taken, says so
 * in one line and exits 1 at once. Nothing is open yet, so halting loses nothing.
 */
public class Preflight implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        if (!"exit".equals(context.getProperty(StartupCheck.CHECK))) {
            return;
        }
        HttpSettings http = HttpSettings.read(context);
        if (http.taken()) {
            System.err.println("rollbook: cannot start: " + http.portInUseMessage());
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    @Override
    public void stop(BundleContext context) {
        // nothing held
    }
}
