package org.rollbook.sync.internal.engine;

import java.util.function.BooleanSupplier;

import org.rollbook.api.roster.RosterConnector;

/**
 * The connector a run reads from: the service, the bundle that provides it (e.g.
 * {@code org.rollbook.connector.clever 0.1.1}, null when unknown) and whether that service went away while
 * the run used it (its bundle was updated, stopped or uninstalled).
 */
public record ConnectorInUse(RosterConnector connector, String bundle, BooleanSupplier gone) {

    /** A connector that is not hot-swapped (tests, benchmarks). */
    public static ConnectorInUse of(RosterConnector connector) {
        return new ConnectorInUse(connector, null, () -> false);
    }

    boolean wentAway() {
        return gone.getAsBoolean();
    }

    /** " Connector: org.rollbook.connector.clever 0.1.1." for an operation's message, or "" when unknown. */
    String note() {
        return bundle == null ? "" : " Connector: " + bundle + ".";
    }

    String wentAwayMessage() {
        return (bundle == null ? "the roster connector" : "the connector " + bundle)
                + " went away while the roster was being read (it was updated, stopped or uninstalled). Nothing was"
                + " written and nobody was marked Transferred; run the sync again: the next run uses the connector"
                + " installed now.";
    }
}
