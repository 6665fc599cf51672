package org.rollbook.api.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.rollbook.api.patron.Patron;
import org.rollbook.api.patron.Site;

/**
 * Where patrons and sites live. Reads and writes come in batches so that a sync of a large district
 * costs a few statements per batch, never one per record. Every {@link #write(PatronBatch)} is one
 * transaction: after a crash the store holds the whole batch or none of it.
 */
@ProviderType
public interface PatronStore {

    /** Service property naming the storage kind, e.g. {@code derby}. */
    String KIND = "rollbook.store.kind";

    /** Whether the store is open, where it lives, its schema version and size. Never throws. */
    StoreStatus status();

    /**
     * The stored match keys of every patron that has any of the looked-up keys: GUID within the
     * lookup's integration, barcode, community id, or email (trimmed, case-insensitive). Blank keys
     * are never looked up and never match.
     */
    List<PatronKeys> findByKeys(KeyLookup lookup);

    /**
     * Writes a whole run into an empty patron table as one transaction, by the store's fastest means: the
     * first sync of a new store, where writing batch by batch would maintain every index row by row. Every
     * write must be a create; the batches' log lines, counts, progress and state are written as
     * {@link #write(PatronBatch)} would, and the source is read twice. Returns false, having written
     * nothing, when the table holds patrons or a write is not a create (the caller then writes batch by
     * batch); throws, having written nothing, when the store refuses the data. Readers of the patron
     * table wait while it runs.
     *
     * <p>The store opens the first pass only once it holds the patron table empty and locked, and keeps
     * it so until the load ends. A caller may therefore hand the first pass its batches while it is
     * still planning them, knowing that no patron exists to match (it must then not read the patron
     * table itself: that would wait for the load). {@code open()} may block, the second pass until the
     * plan is complete; a pass that throws rolls the whole load back.
     */
    default boolean load(BatchSource batches) {
        return false;
    }

    /**
     * Every patron linked to the integration, as match keys, in no particular order (for absence after a
     * full sync). The consumer may be called while the store reads, so it should do no more than collect.
     */
    void forEachLinked(String integration, java.util.function.Consumer<PatronKeys> consumer);

    /** What clearing the integration would remove (see {@link #clearIntegration}). */
    IntegrationFootprint footprint(String integration);

    /**
     * In one transaction: unlinks every patron of the integration (GUID and integration removed, the
     * patron stays), removes every site's school mapping, and deletes the integration's state.
     * Returns what was removed.
     */
    IntegrationFootprint clearIntegration(String integration);

    /** The patrons with these ids, in no particular order; unknown ids are left out. */
    List<Patron> patrons(Collection<Long> ids);

    Optional<Patron> patron(long id);

    /** Creates and updates the patrons of the batch in one transaction. */
    BatchResult write(PatronBatch batch);

    /** Replaces a patron's local-only fields (notes, preferred name, ...); no sync calls this. */
    void setLocalFields(long patronId, Map<String, String> fields);

    /** A page of patrons, ordered by last name, first name, id. */
    ResultPage<Patron> search(PatronQuery query);

    List<Site> sites();

    Optional<Site> site(String code);

    /** Creates or replaces the site with this code. */
    Site saveSite(Site site);

    /** Deletes the site; false when there was none. */
    boolean deleteSite(String code);
}
