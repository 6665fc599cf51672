package org.rollbook.api.patron;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stored patron. {@code fields} holds the numbered fields that have a value (blank values are not
 * stored); {@code localFields} the library's own fields that no sync touches; {@code provenance} the
 * operation that last wrote each numbered field.
 *
 * @param id          store identity, positive
 * @param type        student, teacher, staff or district admin
 * @param policy      the library's circulation policy name (a default per type on creation)
 * @param integration the integration whose GUID this patron carries, or null when unlinked
 * @param fields      numbered field values, never blank
 * @param localFields local-only fields (notes, preferred name, ...)
 * @param provenance  per field, the id of the operation that last wrote it
 * @param created     when the record was created
 * @param updated     when the record was last changed
 */
public record Patron(long id, PatronType type, String policy, String integration,
        Map<PatronField, String> fields, Map<String, String> localFields,
        Map<PatronField, Long> provenance, Instant created, Instant updated) {

    public Patron {
        fields = fields.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(fields));
        localFields = Collections.unmodifiableMap(new LinkedHashMap<>(localFields));
        provenance = provenance.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(provenance));
    }

    /** The value of a numbered field, or null when it has none. */
    public String get(PatronField field) {
        return fields.get(field);
    }

    /** Field 1026 as an enum; a patron without a status counts as ACTIVE. */
    public PatronStatus status() {
        return PatronStatus.ofFieldValue(fields.get(PatronField.STATUS)).orElse(PatronStatus.ACTIVE);
    }
}
