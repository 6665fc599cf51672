package org.rollbook.api.integration;

import org.rollbook.api.store.IntegrationFootprint;

/**
 * A switch from one integration to another: what is (or was) cleared, in words for the admin.
 *
 * @param from    the integration in use before, or null
 * @param to      the integration enabled by the switch
 * @param cleared the identifiers of {@code from} that are (or were) removed; zero counts when nothing is
 * @param message what happens, in one paragraph
 */
public record SwitchPlan(String from, String to, IntegrationFootprint cleared, String message) {
}
