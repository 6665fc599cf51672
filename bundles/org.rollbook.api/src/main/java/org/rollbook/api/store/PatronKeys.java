package org.rollbook.api.store;

import org.rollbook.api.patron.PatronStatus;
import org.rollbook.api.patron.PatronType;

/**
 * The match keys of one stored patron: what matching needs, without the whole record.
 * Blank keys are null; {@code email} is trimmed and lower-cased. {@code rosterDigest} is the digest a sync
 * last wrote with the patron ({@link PatronWrite#rosterDigest()}), or null once anything else changed it.
 */
public record PatronKeys(long id, PatronType type, PatronStatus status, String integration, String guid,
        String barcode, String communityId, String email, String rosterDigest) {

    public PatronKeys(long id, PatronType type, PatronStatus status, String integration, String guid, String barcode,
            String communityId, String email) {
        this(id, type, status, integration, guid, barcode, communityId, email, null);
    }
}
