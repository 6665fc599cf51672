package org.rollbook.api.store;

/**
 * What an integration has left in the store: patrons carrying its GUIDs, sites mapped to provider
 * schools (only one provider's are held at a time), and its state values (cursors, checkpoints).
 */
public record IntegrationFootprint(String integration, long linkedPatrons, long mappedSites, long stateValues) {
}
