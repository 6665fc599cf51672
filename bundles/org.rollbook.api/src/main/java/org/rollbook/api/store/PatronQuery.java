package org.rollbook.api.store;

import org.rollbook.api.patron.PatronType;

/**
 * A patron search. {@code text} matches a GUID, barcode or email exactly (email case-insensitively),
 * or the start of a last or first name case-insensitively; null or blank lists everyone. A limit of 0
 * asks for the total only (no page is read or sorted).
 */
public record PatronQuery(String text, PatronType type, String site, int offset, int limit) {

    public static final int MAX_LIMIT = 500;

    public PatronQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 0 and " + MAX_LIMIT);
        }
        text = text == null || text.isBlank() ? null : text.strip();
        site = site == null || site.isBlank() ? null : site.strip();
    }

    public static PatronQuery all(int offset, int limit) {
        return new PatronQuery(null, null, null, offset, limit);
    }
}
