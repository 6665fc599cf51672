package org.rollbook.sync.internal.mapping;

import java.util.Map;
import java.util.Set;

import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;

/**
 * An integration's choices on top of the default mapping (SPEC §4.3), per record type. Absent entries
 * mean "not mapped" for the optional fields and "nothing erasable".
 *
 * @param barcode     the source of Barcode (1000): a choice name of the provider's mapping data, e.g.
 *                    {@code student_number}, {@code sis_id}, {@code state_id} (Clever); {@code identifier},
 *                    {@code username} or {@code userIds:<type>} (ClassLink)
 * @param communityId the source of Community ID (1001), same choices as barcode
 * @param location    the source of Location (1004): {@code code}, {@code location} or {@code teacher} (ClassLink homeroom)
 * @param erasable    owned fields a blank incoming value erases
 */
public record MappingOptions(Map<PatronType, String> barcode, Map<PatronType, String> communityId,
        Map<PatronType, String> location, Map<PatronType, Set<PatronField>> erasable) {

    public MappingOptions {
        barcode = Map.copyOf(barcode);
        communityId = Map.copyOf(communityId);
        location = Map.copyOf(location);
        erasable = Map.copyOf(erasable);
    }

    public static MappingOptions defaults() {
        return new MappingOptions(Map.of(), Map.of(), Map.of(), Map.of());
    }
}
