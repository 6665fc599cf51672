package org.rollbook.api.integration;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * At most one SIS integration is enabled (SPEC §6). Enabling another shows what will happen, needs the
 * admin's explicit "Begin", then clears the current integration's identifiers (patron GUIDs, site
 * mappings, cursors) in one transaction and points the sync engine at the new connector — by a target
 * filter in configuration, not by code paths.
 */
@ProviderType
public interface IntegrationSwitch {

    /** The word an admin confirms a switch with. */
    String CONFIRMATION = "Begin";

    /** The provider whose connector the sync engine uses; empty when none was chosen (any single connector). */
    Optional<String> selected();

    /** The installed, configured connectors. */
    List<Connector> connectors();

    /** What enabling {@code provider} would do; changes nothing. */
    SwitchPlan plan(String provider);

    /** Enables {@code provider}; {@code confirmation} must be {@link #CONFIRMATION}. Returns what was done. */
    SwitchPlan begin(String provider, String confirmation);

    /** An installed connector: its provider name and the district or tenant it is configured for. */
    record Connector(String provider, String account) {
        public String integration() {
            return provider + ":" + account;
        }
    }
}
