package org.rollbook.sync.internal.engine;

import java.util.Map;
import java.util.Set;

import org.rollbook.api.patron.PatronType;
import org.rollbook.sync.internal.mapping.MappingOptions;

/**
 * What a run needs to know of the integration's configuration, independent of how it is configured.
 *
 * @param types          the record types to sync
 * @param policies       the policy new patrons of each type get
 * @param mapping        optional field sources and erasable fields
 * @param defaultSite    the site code for records without a school (district admins), or null
 * @param holdCreates    hold a run that would create more than this
 * @param holdTransfers  hold a run that would transfer more than this
 * @param holdMinimum    per-site and per-type shares are only checked from this many changes on
 * @param batchSize      records per batch (one transaction each)
 * @param barcodePrefix  prefix of sequence barcodes for new patrons
 * @param barcodeStart   first number of the barcode sequence; 0 means new patrons get no barcode
 */
public record RunSettings(Set<PatronType> types, Map<PatronType, String> policies, MappingOptions mapping, String defaultSite,
        Threshold holdCreates, Threshold holdTransfers, int holdMinimum, int batchSize, String barcodePrefix,
        long barcodeStart) {

    public RunSettings {
        types = Set.copyOf(types);
        policies = Map.copyOf(policies);
        defaultSite = defaultSite == null || defaultSite.isBlank() ? null : defaultSite.strip();
        barcodePrefix = barcodePrefix == null ? "" : barcodePrefix.strip();
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
    }

    public static RunSettings defaults() {
        return new RunSettings(Set.of(PatronType.values()),
                Map.of(PatronType.STUDENT, "Student", PatronType.TEACHER, "Teacher", PatronType.STAFF, "Staff",
                        PatronType.DISTRICT_ADMIN, "Staff"),
                MappingOptions.defaults(), null, Threshold.NONE, Threshold.parse("10%"), 20, 1000, "", 0);
    }

    public RunSettings withHolds(Threshold creates, Threshold transfers, int minimum) {
        return new RunSettings(types, policies, mapping, defaultSite, creates, transfers, minimum, batchSize,
                barcodePrefix, barcodeStart);
    }

    public RunSettings withMapping(MappingOptions options) {
        return new RunSettings(types, policies, options, defaultSite, holdCreates, holdTransfers, holdMinimum,
                batchSize, barcodePrefix, barcodeStart);
    }

    public RunSettings withBatchSize(int size) {
        return new RunSettings(types, policies, mapping, defaultSite, holdCreates, holdTransfers, holdMinimum, size,
                barcodePrefix, barcodeStart);
    }

    public RunSettings withTypes(Set<PatronType> newTypes) {
        return new RunSettings(newTypes, policies, mapping, defaultSite, holdCreates, holdTransfers, holdMinimum,
                batchSize, barcodePrefix, barcodeStart);
    }
}
