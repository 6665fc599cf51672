package org.rollbook.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Properties;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Where Felix HTTP will listen: its configuration (ConfigurationAdmin, or the etc/ file FileInstall
 * will apply), else the framework properties.
 */
record HttpSettings(String host, int port) {

    static final String PID = "org.apache.felix.http";
    static final String HOST = "org.apache.felix.http.host";
    static final String PORT = "org.osgi.service.http.port";

    /** From the etc/ file FileInstall reads, before ConfigurationAdmin has it. */
    static HttpSettings read(BundleContext context) {
        Properties file = etcFile(context);
        return file == null ? of(null, null, context) : of(file.getProperty(HOST), file.getProperty(PORT), context);
    }

    /** Felix HTTP's etc/ file, or null when there is none or it cannot be read. */
    static Properties etcFile(BundleContext context) {
        Path cfg = etc(context).resolve(PID + ".cfg");
        if (!Files.isRegularFile(cfg)) {
            return null;
        }
        Properties file = new Properties();
        try (InputStream in = Files.newInputStream(cfg)) {
            file.load(in);
            return file;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * From ConfigurationAdmin, once it has the configuration. Listed, never fetched with getConfiguration,
     * which would create an empty configuration while FileInstall is about to create the real one.
     */
    static HttpSettings read(BundleContext context, ConfigurationAdmin cm) {
        try {
            Configuration[] found = cm.listConfigurations("(" + org.osgi.framework.Constants.SERVICE_PID + "=" + PID + ")");
            Dictionary<String, Object> props = found == null ? null : found[0].getProperties();
            if (props != null) {
                return of(str(props.get(HOST)), str(props.get(PORT)), context);
            }
        } catch (IOException | org.osgi.framework.InvalidSyntaxException | RuntimeException e) {
            // fall back to the framework properties
        }
        return of(null, null, context);
    }

    static Path etc(BundleContext context) {
        String dir = context.getProperty("felix.fileinstall.dir");
        return Path.of(dir == null ? "etc" : dir).toAbsolutePath().normalize();
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static HttpSettings of(String host, String port, BundleContext context) {
        String h = host != null ? host : context.getProperty(HOST);
        String p = port != null ? port : context.getProperty(PORT);
        int n;
        try {
            n = Integer.parseInt(p == null ? "8080" : p.strip());
        } catch (NumberFormatException e) {
            n = 8080;
        }
        return new HttpSettings(h == null || h.isBlank() ? "0.0.0.0" : h.strip(), n);
    }

    /** True when nothing can bind host:port now. */
    boolean taken() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    String portInUseMessage() {
        return "port " + port + " on " + host + " is already in use; stop what uses it or set "
                + PORT + " in etc/" + PID + ".cfg";
    }
}
