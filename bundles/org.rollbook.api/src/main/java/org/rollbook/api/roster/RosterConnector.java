package org.rollbook.api.roster;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A roster provider (Clever, ClassLink, ...) seen from the sync engine. Connectors know nothing of
 * patrons: they deliver {@link RosterRecord}s and say whether the fetch was complete. Registered with
 * the service property {@link #PROVIDER}; the integration switch selects one by a target filter.
 */
@ProviderType
public interface RosterConnector {

    /** Service property: the provider's name, e.g. {@code clever} or {@code classlink}. */
    String PROVIDER = "rollbook.provider";

    /** The value of {@link #PROVIDER}. */
    String provider();

    /**
     * The district or tenant this connector is configured for; with {@link #provider()} it names the
     * integration ({@code clever:5940d254}), under which GUIDs, cursors and state are kept.
     */
    String account();

    /** Tests the configured settings against the provider. Never throws. */
    ConnectionCheck check();

    /** The schools the district shares, for site mapping. */
    List<RosterSchool> schools() throws RosterException;

    /**
     * Streams the requested records into the sink, page by page. Throws when nothing useful could be
     * read; a fetch that read some pages and then failed returns an incomplete report instead.
     */
    FetchReport fetch(FetchRequest request, RosterSink sink) throws RosterException;
}
