package org.rollbook.web.internal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.rollbook.api.integration.IntegrationSwitch;
import org.rollbook.api.roster.RosterConnector;

/**
 * The connector the console talks about: the one of the provider the integration switch selected,
 * or the only one installed when none was selected — the same one the sync engine uses.
 */
@Component(service = LiveConnector.class)
public class LiveConnector {

    private final List<RosterConnector> connectors = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile IntegrationSwitch integrations;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bind(RosterConnector c) {
        connectors.add(c);
    }

    void unbind(RosterConnector c) {
        connectors.remove(c);
    }

    Optional<RosterConnector> get() {
        IntegrationSwitch s = integrations;
        Optional<String> selected = s == null ? Optional.empty() : s.selected();
        if (selected.isPresent()) {
            return connectors.stream().filter(c -> c.provider().equals(selected.get())).findFirst();
        }
        return connectors.size() == 1 ? Optional.of(connectors.get(0)) : Optional.empty();
    }

    /** The live connector, or a 503 that says what to do. */
    RosterConnector require() {
        return get().orElseThrow(() -> new ApiException(503, connectors.isEmpty()
                ? "no roster provider is connected: configure Clever or ClassLink first"
                : "several providers are configured: enable one under /api/integration"));
    }
}
