package org.rollbook.sync.internal.engine;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.rollbook.api.patron.Site;
import org.rollbook.sync.internal.mapping.FieldMapping;

/**
 * What one run remembers while the roster streams through: only match keys and counts, never whole
 * records (memory grows with the district's size by a few strings per person at most).
 */
final class RunContext {

    final String integration;
    final RunSettings settings;
    final FieldMapping mapping;
    final long operationId;
    /** provider school id → site code */
    final Map<String, String> siteBySchool = new HashMap<>();
    /** every GUID the roster delivered, whatever became of it: nobody in here is absent */
    final Set<String> seenGuids = new HashSet<>();
    /** patrons a record of this run already matched */
    final Set<Long> claimed = new HashSet<>();
    /** barcodes this run gives to patrons, so no two get the same */
    final Set<String> plannedBarcodes = new HashSet<>();
    /** what the plan would do, per situation, outcome, type and site */
    final Tally planned = new Tally();
    /** the planned transfers (status to 4), per type and site, for the safety hold */
    final Tally transfers = new Tally();
    /** on a full run, the active linked patrons by the digest of the record they were last synced from */
    LinkedDigests linked = LinkedDigests.NONE;
    /**
     * True while the run's own load holds the patron table empty and locked (an {@link EarlyLoad}): every
     * key look-up would find nothing, and would wait for the load, which waits for the plan.
     */
    volatile boolean storeEmpty;
    long nextBarcode;
    long records;

    RunContext(long operationId, String integration, RunSettings settings, FieldMapping mapping, Iterable<Site> sites) {
        this.operationId = operationId;
        this.integration = integration;
        this.settings = settings;
        this.mapping = mapping;
        for (Site s : sites) {
            if (s.providerId() != null) {
                siteBySchool.put(s.providerId(), s.code());
            }
        }
        this.nextBarcode = settings.barcodeStart();
    }
}
