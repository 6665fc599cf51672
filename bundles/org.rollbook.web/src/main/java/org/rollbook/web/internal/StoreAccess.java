package org.rollbook.web.internal;

import org.rollbook.api.store.PatronStore;

/** The patron store as endpoints see it: a 503 with a pointer to the health check when it is missing. */
final class StoreAccess {
    private StoreAccess() {
    }

    static PatronStore require(PatronStore store) {
        if (store == null) {
            throw new ApiException(503, "the patron store is not available; see /api/health");
        }
        return store;
    }
}
