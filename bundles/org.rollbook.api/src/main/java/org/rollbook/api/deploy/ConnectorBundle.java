package org.rollbook.api.deploy;

import java.util.List;

/**
 * A connector bundle as the console lists it.
 *
 * @param symbolicName the Bundle-SymbolicName, e.g. {@code org.rollbook.connector.clever}
 * @param version      the Bundle-Version
 * @param state        {@code active}, {@code resolved}, {@code installed}, {@code starting} or {@code stopping}
 * @param providers    the {@code rollbook.provider} values of the connector services it registers now
 *                     (empty while its connector is not configured)
 * @param source       where it came from
 * @param location     where from, in words: {@code deploy/clever.jar}, the uploaded file's name, or the
 *                     bundle location of a built-in one
 * @param inUse        whether the sync engine uses one of its connector services
 */
public record ConnectorBundle(String symbolicName, String version, String state, List<String> providers,
        ConnectorSource source, String location, boolean inUse) {

    public ConnectorBundle {
        providers = List.copyOf(providers);
    }
}
