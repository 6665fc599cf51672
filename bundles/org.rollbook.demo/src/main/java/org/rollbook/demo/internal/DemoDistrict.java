package org.rollbook.demo.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.rollbook.api.patron.Site;
import org.rollbook.api.security.Secrets;
import org.rollbook.api.store.OperationStore;
import org.rollbook.api.store.PatronStore;
import org.rollbook.api.sync.SyncException;
import org.rollbook.api.sync.SyncRequest;
import org.rollbook.api.sync.SyncService;
import org.rollbook.emulator.clever.CleverEmulator;
import org.rollbook.emulator.clever.DistrictSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demo mode, so a newcomer has something to see: an in-process Clever emulator with a demo district, the
 * Clever connector configured to read it, its schools mapped to sites, and a first full sync when the
 * store has never synced. Only active with the configuration {@code org.rollbook.demo} (the file
 * {@code run/etc/org.rollbook.demo.cfg}); deleting it stops the emulator and removes the connector
 * configuration the demo made.
 */
@Component(immediate = true, configurationPid = DemoDistrict.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = DemoDistrict.Config.class)
public class DemoDistrict {

    static final String PID = "org.rollbook.demo";
    static final String CONNECTOR_PID = "org.rollbook.connector.clever";
    static final String SSO_PID = "org.rollbook.sso";
    static final String MARK = "rollbook.demo";
    private static final Logger LOG = LoggerFactory.getLogger(DemoDistrict.class);

    @ObjectClassDefinition(name = "Rollbook demo district", description = "An embedded Clever emulator to try Rollbook without a Clever account.")
    public @interface Config {
        @AttributeDefinition(name = "Students", description = "Size of the demo district (teachers, staff and schools by ratio).")
        int students() default 1000;

        @AttributeDefinition(name = "Port", description = "Loopback port of the emulator; 0 picks a free one.")
        int port() default 0;

        @AttributeDefinition(name = "Seed", description = "Same seed, same district.")
        long seed() default 2026;

        @AttributeDefinition(name = "First sync", description = "Run a full sync when the store has never synced.")
        boolean firstSync() default true;
    }

    private final CleverEmulator clever;
    private final ConfigurationAdmin cm;
    private final Thread firstSync;
    private final Secrets secrets;

    @Activate
    public DemoDistrict(Config config, @Reference ConfigurationAdmin cm, @Reference PatronStore patrons,
            @Reference OperationStore operations, @Reference SyncService sync, @Reference Secrets secrets) throws IOException {
        this.secrets = secrets;
        this.cm = cm;
        DistrictSpec spec = config.students() == DistrictSpec.DEMO.students() ? DistrictSpec.DEMO : DistrictSpec.ofStudents(config.students());
        this.clever = CleverEmulator.builder().host("127.0.0.1").port(config.port()).seed(config.seed()).district(spec).build().start();
        connect();
        signIn();
        mapSchools(patrons);
        boolean neverSynced = operations.operations(0, 1).isEmpty();
        LOG.info("demo district {} at {}: {} students", clever.districtId(), clever.baseUrl(), spec.students());
        System.out.println("  demo:    a Clever demo district (" + spec.students() + " students) served at " + clever.baseUrl()
                + (config.firstSync() && neverSynced ? "; syncing it now" : "") + " — delete etc/" + PID + ".cfg to turn it off");
        this.firstSync = config.firstSync() && neverSynced ? new Thread(() -> firstSync(sync), "rollbook-demo-sync") : null;
        if (firstSync != null) {
            firstSync.setDaemon(true);
            firstSync.start();
        }
    }

    @Deactivate
    void deactivate() {
        if (firstSync != null) {
            firstSync.interrupt();
        }
        try {
            for (String pid : List.of(CONNECTOR_PID, SSO_PID)) {
                Configuration c = cm.getConfiguration(pid, "?");
                if (c.getProperties() != null && Boolean.TRUE.equals(c.getProperties().get(MARK))) {
                    c.delete();
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot remove the demo's Clever configuration: {}", e.getMessage());
        }
        clever.close();
    }

    /** Points the Clever connector at the emulator, unless an admin configured a real district. */
    private void connect() throws IOException {
        Configuration c = cm.getConfiguration(CONNECTOR_PID, "?");
        Dictionary<String, Object> existing = c.getProperties();
        if (existing != null && !Boolean.TRUE.equals(existing.get(MARK))) {
            LOG.warn("the Clever connector is configured for a real district; the demo district is not connected");
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("district", clever.districtId());
        props.put("clientId", clever.clientId());
        props.put("clientSecret", sealed(existing, "clientSecret", clever.clientSecret()));
        props.put("apiUrl", clever.baseUrl().toString());
        props.put("oauthUrl", clever.baseUrl().toString());
        props.put(MARK, Boolean.TRUE);
        c.updateIfDifferent(props);
    }

    /**
     * Turns on "Sign in with Clever" against the emulator, unless an admin configured patron sign-in: the demo
     * district's students can sign in at /sso/ by picking themselves on the emulator's page.
     */
    private void signIn() throws IOException {
        Configuration c = cm.getConfiguration(SSO_PID, "?");
        Dictionary<String, Object> existing = c.getProperties();
        if (existing != null && !Boolean.TRUE.equals(existing.get(MARK))) {
            return;
        }
        int port = 8080;
        Configuration[] http = null;
        try {
            http = cm.listConfigurations("(service.pid=org.apache.felix.http)");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (http != null && http[0].getProperties() != null && http[0].getProperties().get("org.osgi.service.http.port") != null) {
            port = Integer.parseInt(http[0].getProperties().get("org.osgi.service.http.port").toString().strip());
        }
        for (String host : List.of("127.0.0.1", "localhost")) {
            clever.sso().addRedirectUri("http://" + host + ":" + port + "/sso/clever/callback");
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("cleverEnabled", Boolean.TRUE);
        props.put("cleverClientId", clever.clientId());
        props.put("cleverClientSecret", sealed(existing, "cleverClientSecret", clever.clientSecret()));
        props.put("cleverOauthUrl", clever.baseUrl().toString());
        props.put("cleverApiUrl", clever.baseUrl().toString());
        props.put(MARK, Boolean.TRUE);
        c.updateIfDifferent(props);
    }

    /** The sealed secret: the stored one when it still holds {@code plain} (sealing again would change it every start). */
    private String sealed(Dictionary<String, Object> existing, String key, String plain) {
        Object stored = existing == null ? null : existing.get(key);
        if (stored instanceof String s && !s.isEmpty()) {
            try {
                if (plain.equals(secrets.open(s))) {
                    return s;
                }
            } catch (IllegalStateException anotherKey) {
                // sealed with another key file: seal it again
            }
        }
        return secrets.seal(plain);
    }

    /** Each demo school becomes a site (codes SCH1, SCH2, …) unless it is mapped already. */
    private void mapSchools(PatronStore patrons) {
        List<Map<String, Object>> schools = clever.district().schools();
        int i = 0;
        for (Map<String, Object> s : schools) {
            i++;
            String id = String.valueOf(s.get("id"));
            if (patrons.sites().stream().noneMatch(site -> id.equals(site.providerId()))) {
                patrons.saveSite(new Site("SCH" + i, String.valueOf(s.get("name")), id));
            }
        }
    }

    /** The connector appears asynchronously (configuration events): retry until the sync service has it. */
    private void firstSync(SyncService sync) {
        for (int attempt = 0; attempt < 150; attempt++) {
            try {
                sync.start(SyncRequest.full(false));
                return;
            } catch (SyncException notYet) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        LOG.warn("the demo's first sync could not be started: no Clever connector appeared");
    }
}
