package org.rollbook.api.store;

/**
 * @param open          true when the store accepts reads and writes
 * @param kind          storage kind, e.g. {@code derby}
 * @param location      where the data lives (a directory for embedded stores)
 * @param schemaVersion the schema version the data is at
 * @param patrons       number of patrons
 * @param sites         number of sites
 * @param detail        a short human-readable remark (the error when not open)
 */
public record StoreStatus(boolean open, String kind, String location, int schemaVersion, long patrons,
        long sites, String detail) {
}
