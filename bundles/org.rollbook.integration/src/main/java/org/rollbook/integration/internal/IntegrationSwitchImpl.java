package org.rollbook.integration.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.rollbook.api.integration.IntegrationSwitch;
import org.rollbook.api.integration.SwitchPlan;
import org.rollbook.api.roster.RosterConnector;
import org.rollbook.api.store.IntegrationFootprint;
import org.rollbook.api.store.OperationStore;
import org.rollbook.api.store.PatronStore;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.SyncException;

/**
 * The integration switch. The selection is this component's configuration ({@code selected}); the sync
 * engine follows it through its {@code connector.target} filter, which this component keeps in step.
 */
@Component(service = IntegrationSwitch.class, configurationPid = IntegrationSwitchImpl.PID, immediate = true)
@Designate(ocd = IntegrationSwitchImpl.Config.class)
public class IntegrationSwitchImpl implements IntegrationSwitch {

    static final String PID = "org.rollbook.integration";
    static final String SYNC_PID = "org.rollbook.sync";

    @ObjectClassDefinition(name = "Rollbook integration", description = "Which roster provider the sync engine uses.")
    public @interface Config {
        @AttributeDefinition(name = "Selected provider", description = "clever or classlink; empty: the only connector there is.")
        String selected() default "";
    }

    /** Persists a selection and points the sync engine at it (ConfigurationAdmin in the framework). */
    interface Selection {
        void select(String provider) throws IOException;
    }

    private final PatronStore patrons;
    private final OperationStore operations;
    private final Selection selection;
    private final ConfigurationAdmin cm;
    private final List<RosterConnector> installed = new CopyOnWriteArrayList<>();
    private volatile String selected;

    @Activate
    public IntegrationSwitchImpl(Config config, @Reference PatronStore patrons, @Reference OperationStore operations,
            @Reference ConfigurationAdmin cm) throws IOException {
        this(config.selected(), patrons, operations, provider -> select(cm, provider), cm);
        target(cm, selected);
    }

    IntegrationSwitchImpl(String selected, PatronStore patrons, OperationStore operations, Selection selection,
            ConfigurationAdmin cm) {
        this.selected = blankToNull(selected);
        this.patrons = patrons;
        this.operations = operations;
        this.selection = selection;
        this.cm = cm;
    }

    @Modified
    void modified(Config config) throws IOException {
        selected = blankToNull(config.selected());
        target(cm, selected);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addConnector(RosterConnector c) {
        installed.add(c);
    }

    void removeConnector(RosterConnector c) {
        installed.remove(c);
    }

    @Override
    public Optional<String> selected() {
        return Optional.ofNullable(selected);
    }

    @Override
    public List<Connector> connectors() {
        List<Connector> out = new ArrayList<>();
        for (RosterConnector c : installed) {
            out.add(new Connector(c.provider(), c.account()));
        }
        return out;
    }

    @Override
    public SwitchPlan plan(String provider) {
        Connector to = connector(provider);
        String from = current().orElse(null);
        if (from == null || from.equals(to.integration())) {
            return new SwitchPlan(from, to.integration(), new IntegrationFootprint(from, 0, 0, 0), from == null
                    ? "Rollbook will use " + to.integration() + "; nothing is synced yet, so nothing is cleared."
                    : to.integration() + " is already the integration in use; nothing changes.");
        }
        IntegrationFootprint f = patrons.footprint(from);
        return new SwitchPlan(from, to.integration(), f, "Begin will disable " + from + " and clear its identifiers: the GUIDs of "
                + f.linkedPatrons() + " patrons (the patrons stay and are matched again by barcode, community ID or email), the "
                + "school mapping of " + f.mappedSites() + " sites (map them again to " + to.provider() + "'s schools), and "
                + f.stateValues() + " cursor/checkpoint value(s). Then " + to.integration() + " is initialised; its first sync is a full one.");
    }

    @Override
    public synchronized SwitchPlan begin(String provider, String confirmation) {
        if (!CONFIRMATION.equals(confirmation)) {
            throw new SyncException("confirm the switch with \"" + CONFIRMATION + "\"; nothing was changed");
        }
        SwitchPlan plan = plan(provider);
        busy().ifPresent(op -> {
            throw new SyncException("operation " + op.id() + " is " + op.status().name().toLowerCase()
                    + "; wait for it, cancel it or reject it before switching");
        });
        IntegrationFootprint cleared = plan.from() == null || plan.from().equals(plan.to()) ? plan.cleared()
                : patrons.clearIntegration(plan.from());
        try {
            selection.select(connector(provider).provider());
        } catch (IOException e) {
            throw new SyncException("the identifiers of " + plan.from() + " were cleared, but the new selection could not be saved: "
                    + e.getMessage());
        }
        selected = connector(provider).provider();
        return new SwitchPlan(plan.from(), plan.to(), cleared, plan.from() == null || plan.from().equals(plan.to())
                ? plan.to() + " is the integration in use."
                : "Switched from " + plan.from() + " to " + plan.to() + ": cleared " + cleared.linkedPatrons() + " patron GUIDs, "
                        + cleared.mappedSites() + " site mappings, " + cleared.stateValues() + " state value(s).");
    }

    private Connector connector(String provider) {
        if (provider == null || provider.isBlank()) {
            throw new SyncException("name the provider to enable (clever or classlink)");
        }
        return connectors().stream().filter(c -> c.provider().equalsIgnoreCase(provider.strip())).findFirst()
                .orElseThrow(() -> new SyncException("no " + provider.strip() + " connector is installed and configured; "
                        + "set up its settings first"));
    }

    /** The integration the store's latest operation ran for: what has been syncing. */
    private Optional<String> current() {
        return operations.operations(0, 1).stream().findFirst().map(Operation::integration);
    }

    private Optional<Operation> busy() {
        return operations.operations(0, 20).stream().filter(o -> o.status() == OperationStatus.QUEUED
                || o.status() == OperationStatus.RUNNING || o.status() == OperationStatus.HELD).findFirst();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** Saves the selection as this component's configuration (which updates the sync engine's target). */
    private static void select(ConfigurationAdmin cm, String provider) throws IOException {
        Configuration c = cm.getConfiguration(PID, "?");
        Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        props.put("selected", provider);
        c.updateIfDifferent(props);
    }

    /** Keeps the sync engine's connector target filter in step with the selection. */
    private static void target(ConfigurationAdmin cm, String provider) throws IOException {
        Configuration c = cm.getConfiguration(SYNC_PID, "?");
        Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        if (provider == null) {
            if (props.get("connector.target") == null) {
                return;
            }
            props.remove("connector.target");
        } else {
            props.put("connector.target", "(" + RosterConnector.PROVIDER + "=" + provider + ")");
        }
        c.updateIfDifferent(props);
    }
}
