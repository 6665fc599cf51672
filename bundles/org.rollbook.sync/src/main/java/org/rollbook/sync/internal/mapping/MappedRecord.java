package org.rollbook.sync.internal.mapping;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterState;

/**
 * A roster record after mapping: the patron field values it brings (normalized), which fields the
 * mapping owns for its type, which of those a blank may erase, the provider school that decides the
 * site, and notes on values that had to be adjusted. {@code invalid} non-null means the record cannot
 * be used at all (it is skipped with that reason).
 *
 * @param source   the roster record
 * @param type     the record type
 * @param values   normalized values of the owned fields that are present and not blank (incl. GUID, 1200)
 * @param owned    every field the mapping owns for this type (present or not); never contains SITE or STATUS
 * @param erasable owned fields that a blank incoming value erases
 * @param schoolId the provider school id that selects the site, or null (district admins: the default site)
 * @param notes    value adjustments to log ("sex 'U' kept as X")
 * @param invalid  why the record cannot be used, or null
 */
public record MappedRecord(RosterRecord source, PatronType type, Map<PatronField, String> values,
        Set<PatronField> owned, Set<PatronField> erasable, String schoolId, List<String> notes, String invalid) {

    public MappedRecord {
        values = values.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(values));
        owned = owned.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(owned));
        erasable = erasable.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(erasable));
        notes = List.copyOf(notes);
    }

    public String guid() {
        return source.sourceId();
    }

    public boolean deleted() {
        return source.state() == RosterState.DELETED;
    }

    public String get(PatronField f) {
        return values.get(f);
    }
}
