package org.rollbook.api.roster;

/** FULL reads everything the provider shares; CHANGES reads what changed since a cursor. */
public enum FetchKind {
    FULL,
    CHANGES
}
