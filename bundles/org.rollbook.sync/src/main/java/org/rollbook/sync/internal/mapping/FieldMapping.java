package org.rollbook.sync.internal.mapping;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.roster.RosterRecord;

/**
 * A roster provider's field mapping (SPEC §3) with an integration's optional choices (SPEC §4.3) applied:
 * turns roster records into normalized patron field values. The defaults are data, {@code <provider>.json}
 * beside this class (MAPPING.md). Built once per run; immutable, so {@link #map} may run on many threads.
 */
public final class FieldMapping {

    /** Everything {@link #map} needs for one record type, with every path precomputed. */
    private record TypeMapping(PatronField[] fields, ValueSource[] sources, ValueSource school,
            Set<PatronField> owned, Set<PatronField> erasable) {
    }

    private final String provider;
    private final Normalizer normalizer;
    private final Map<PatronType, TypeMapping> types;

    private FieldMapping(String provider, Normalizer normalizer, Map<PatronType, TypeMapping> types) {
        this.provider = provider;
        this.normalizer = normalizer;
        this.types = types;
    }

    /**
     * The mapping of a provider ({@code clever}, {@code classlink}) with the integration's options.
     *
     * @throws IllegalArgumentException for an unknown provider, or an option that names a source the
     *                                  provider does not offer for that record type
     */
    public static FieldMapping forProvider(String provider, MappingOptions options) {
        return of(MappingFile.read(provider), options);
    }

    static FieldMapping of(MappingFile file, MappingOptions options) {
        String name = file.provider();

        Map<PatronType, Map<PatronField, ValueSource>> sources = new EnumMap<>(PatronType.class);
        file.types().forEach((type, data) -> {
            Map<PatronField, ValueSource> fields = new EnumMap<>(PatronField.class);
            fields.putAll(data.fields());
            sources.put(type, fields);
        });

        Map<PatronField, Map<PatronType, String>> chosen = new EnumMap<>(PatronField.class);
        chosen.put(PatronField.BARCODE, options.barcode());
        chosen.put(PatronField.COMMUNITY_ID, options.communityId());
        chosen.put(PatronField.LOCATION, options.location());
        chosen.forEach((field, byType) -> byType.forEach((type, choice) -> {
            if (choice.isBlank()) {
                return;
            }
            MappingFile.TypeData data = file.types().get(type);
            if (data == null) {
                throw new IllegalArgumentException(name + " maps no " + type.code() + " records, so "
                        + describe(type, field, choice) + " cannot be used");
            }
            sources.get(type).put(field, source(file, name, type, data, field, choice));
        }));

        Map<PatronType, TypeMapping> types = new EnumMap<>(PatronType.class);
        sources.forEach((type, fields) -> {
            Set<PatronField> owned = EnumSet.of(PatronField.GUID);
            owned.addAll(fields.keySet());
            Set<PatronField> erasable = EnumSet.noneOf(PatronField.class);
            erasable.addAll(options.erasable().getOrDefault(type, Set.of()));
            erasable.retainAll(owned);
            erasable.remove(PatronField.GUID);
            types.put(type, new TypeMapping(fields.keySet().toArray(new PatronField[0]),
                    fields.values().toArray(new ValueSource[0]), file.types().get(type).school(),
                    Collections.unmodifiableSet(owned), Collections.unmodifiableSet(erasable)));
        });
        return new FieldMapping(name, new Normalizer(file.dateFormats()), Collections.unmodifiableMap(types));
    }

    private static ValueSource source(MappingFile file, String provider, PatronType type,
            MappingFile.TypeData data, PatronField field, String choice) {
        List<MappingFile.Choice> offered = data.choices().getOrDefault(field, List.of());
        String wanted = choice.strip();
        String at = "types." + type.code() + ".choices." + field.number();
        for (MappingFile.Choice c : offered) {
            if (c.parameter() == null) {
                if (c.name().equalsIgnoreCase(wanted)) {
                    return file.compile(at, c, null);
                }
            } else if (wanted.regionMatches(true, 0, c.prefix(), 0, c.prefix().length())) {
                String argument = wanted.substring(c.prefix().length()).strip();
                if (argument.isEmpty()) {
                    throw new IllegalArgumentException(describe(type, field, choice) + " needs a value after the colon, as in "
                            + c.name());
                }
                return file.compile(at, c, argument);
            }
        }
        if (offered.isEmpty()) {
            throw new IllegalArgumentException(describe(type, field, choice) + " is not available: " + provider
                    + " offers no " + Normalizer.noteName(field) + " source for " + type.code() + " records");
        }
        throw new IllegalArgumentException(describe(type, field, choice) + " is not one of "
                + offered.stream().map(MappingFile.Choice::name).collect(Collectors.joining(", ")));
    }

    private static String describe(PatronType type, PatronField field, String choice) {
        return type.code() + " " + Normalizer.noteName(field) + " source '" + choice + "'";
    }

    /** The provider this mapping is for, lower case ({@code clever}). */
    public String provider() {
        return provider;
    }

    /** The record types this provider maps; records of other types are invalid. */
    public Set<PatronType> types() {
        return types.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(types.keySet()));
    }

    /**
     * The fields a sync of this record type owns: GUID, the default mappings, and Barcode, Community ID and
     * Location only when the integration chose a source for them. Never Site or Status (the engine's).
     */
    public Set<PatronField> owned(PatronType type) {
        TypeMapping m = types.get(type);
        return m == null ? Set.of() : m.owned();
    }

    /**
     * Whether {@code key} is a match key for this record type (SPEC §4.1): GUID and Email when mapped;
     * Barcode and Community ID only when the integration mapped them ("We will not attempt to match these
     * fields unless you map them"). Other fields are never keys.
     */
    public boolean mapsKey(PatronType type, PatronField key) {
        return switch (key) {
            case GUID, EMAIL, BARCODE, COMMUNITY_ID -> owned(type).contains(key);
            default -> false;
        };
    }

    /** The record's patron field values, normalized; {@link MappedRecord#invalid()} says why one cannot be used. */
    public MappedRecord map(RosterRecord record) {
        PatronType type = record.type();
        TypeMapping m = types.get(type);
        if (m == null) {
            return invalid(record, provider + " has no field mapping for " + type.code() + " records");
        }
        String guid = record.sourceId().strip();
        int maxGuid = Normalizer.maxLength(PatronField.GUID);
        if (guid.length() > maxGuid) {
            return invalid(record, "the provider's id is " + guid.length() + " characters, more than the "
                    + maxGuid + " the store keeps");
        }
        Map<String, String> raw = record.values();
        EnumMap<PatronField, String> values = new EnumMap<>(PatronField.class);
        values.put(PatronField.GUID, guid);
        List<String> notes = new ArrayList<>();
        PatronField[] fields = m.fields();
        ValueSource[] sources = m.sources();
        for (int i = 0; i < fields.length; i++) {
            String v = normalizer.normalize(fields[i], sources[i].read(raw), notes);
            if (v != null) {
                values.put(fields[i], v);
            }
        }
        String schoolId = m.school() == null ? null : m.school().read(raw);
        return new MappedRecord(record, type, values, m.owned(), m.erasable(), schoolId, notes, null);
    }

    private static MappedRecord invalid(RosterRecord record, String reason) {
        return new MappedRecord(record, record.type(), Map.of(), Set.of(), Set.of(), null, List.of(), reason);
    }

    @Override
    public String toString() {
        return "FieldMapping[" + provider + ", " + types.keySet() + "]";
    }
}
