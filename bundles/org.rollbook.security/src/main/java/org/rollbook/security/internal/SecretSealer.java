package org.rollbook.security.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Set;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.rollbook.api.security.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals secrets that were written in plain text into Rollbook's configuration (typed into an
 * {@code etc/*.cfg} file by hand, or set by an older version): every property named like a secret
 * ({@link #SECRET_KEYS}) of an {@code org.rollbook.*} configuration is replaced by its sealed form.
 * File Install then writes the sealed value back to the {@code .cfg} file.
 */
@Component
public class SecretSealer implements ConfigurationListener {
    /** Property names that hold secrets, in any Rollbook configuration. */
    static final Set<String> SECRET_KEYS = Set.of("clientSecret", "consumerSecret", "districtToken",
            "cleverClientSecret", "classlinkClientSecret");
    private static final Logger LOG = LoggerFactory.getLogger(SecretSealer.class);

    private final Secrets secrets;
    private final ConfigurationAdmin configAdmin;

    @Activate
    public SecretSealer(@Reference Secrets secrets, @Reference ConfigurationAdmin configAdmin) {
        this.secrets = secrets;
        this.configAdmin = configAdmin;
        try {
            Configuration[] all = configAdmin.listConfigurations("(service.pid=org.rollbook.*)");
            for (Configuration c : all == null ? new Configuration[0] : all) {
                seal(c);
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot look for plain-text secrets in the configuration: {}", e.getMessage());
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getType() != ConfigurationEvent.CM_UPDATED || !event.getPid().startsWith("org.rollbook.")) {
            return;
        }
        try {
            Configuration[] c = configAdmin.listConfigurations("(service.pid=" + event.getPid() + ")");
            if (c != null) {
                seal(c[0]);
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot seal the secrets of {}: {}", event.getPid(), e.getMessage());
        }
    }

    private void seal(Configuration c) throws IOException {
        Dictionary<String, Object> props = c.getProperties();
        if (props == null) {
            return;
        }
        Dictionary<String, Object> sealed = null;
        for (Enumeration<String> keys = props.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (SECRET_KEYS.contains(key) && props.get(key) instanceof String v && !v.isBlank() && !Secrets.isSealed(v)) {
                if (sealed == null) {
                    sealed = copy(props);
                }
                sealed.put(key, secrets.seal(v.strip()));
            }
        }
        if (sealed != null) {
            LOG.info("Sealed the plain-text secrets of {}", c.getPid());
            c.update(sealed);
        }
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> props) {
        Hashtable<String, Object> h = new Hashtable<>();
        for (Enumeration<String> keys = props.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            h.put(k, props.get(k));
        }
        return h;
    }
}
