package org.rollbook.api.roster;

import org.osgi.annotation.versioning.ConsumerType;
import org.rollbook.api.patron.PatronType;

/** Receives a fetch as it streams in, page by page; it never holds the district in memory. */
@ConsumerType
public interface RosterSink {

    /** One record; called in page order from the fetching thread. */
    void accept(RosterRecord record);

    /** The provider announced how many records of a type to expect (for progress), when it knows. */
    default void expect(PatronType type, long total) {
    }

    /** True when the run was cancelled; the connector stops fetching at the next page. */
    default boolean cancelled() {
        return false;
    }
}
