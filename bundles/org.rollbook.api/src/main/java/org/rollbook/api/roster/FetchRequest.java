package org.rollbook.api.roster;

import java.util.Set;

import org.rollbook.api.patron.PatronType;

/**
 * @param kind   full or changes
 * @param types  the record types to read
 * @param cursor for CHANGES, the cursor a previous fetch returned; null for FULL
 */
public record FetchRequest(FetchKind kind, Set<PatronType> types, String cursor) {

    public FetchRequest {
        types = Set.copyOf(types);
    }
}
