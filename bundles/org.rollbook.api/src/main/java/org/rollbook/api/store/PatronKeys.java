package org.rollbook.api.store;

import org.rollbook.api.patron.PatronStatus;
import org.rollbook.api.patron.PatronType;

/**
 * The match keys of one stored patron: what matching needs, without the whole record.
 * Blank keys are null; {@code email} is trimmed and lower-cased.
 */
public record PatronKeys(long id, PatronType type, PatronStatus status, String integration, String guid,
        String barcode, String communityId, String email) {
}
