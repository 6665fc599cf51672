package org.rollbook.sync.internal.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One provider's mapping data, {@code <provider>.json} beside this class (format: MAPPING.md), read and
 * checked. A mistake in the file is an {@link IllegalStateException} naming the file and the entry.
 */
final class MappingFile {

    /** Fields that only an integration's choice maps (SPEC §4.3). */
    static final Set<PatronField> OPTIONAL = Collections.unmodifiableSet(
            EnumSet.of(PatronField.BARCODE, PatronField.COMMUNITY_ID, PatronField.LOCATION));
    /** Fields the data never maps: GUID is the record id; site and status are the engine's. */
    private static final Set<PatronField> NOT_MAPPABLE = EnumSet.of(PatronField.GUID, PatronField.SITE,
            PatronField.STATUS);

    /**
     * An optional source an admin can pick. A parameterized choice ({@code userIds:<type>}) has its
     * {@code parameter} ({@code <type>}) replaced by what the admin wrote after the colon.
     */
    record Choice(String name, String parameter, JsonNode source) {
        /** {@code userIds:} for {@code userIds:<type>}; the whole name otherwise. */
        String prefix() {
            return parameter == null ? name : name.substring(0, name.length() - parameter.length());
        }
    }

    /** What the file says for one record type, with {@code common} merged in. */
    record TypeData(Map<PatronField, ValueSource> fields, ValueSource school,
            Map<PatronField, List<Choice>> choices) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String file;
    private final String provider;
    private final List<DatePattern> dateFormats;
    private final Map<PatronType, TypeData> types;

    private MappingFile(String file, String provider, List<DatePattern> dateFormats, Map<PatronType, TypeData> types) {
        this.file = file;
        this.provider = provider;
        this.dateFormats = dateFormats;
        this.types = types;
    }

    /** Reads {@code <provider>.json}; an unknown provider is an {@link IllegalArgumentException}. */
    static MappingFile read(String provider) {
        if (provider == null || provider.isBlank()) {
            throw new IllegalArgumentException("no roster provider given");
        }
        String name = provider.strip().toLowerCase(Locale.ROOT);
        if (!name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
            throw new IllegalArgumentException("'" + provider + "' is not a roster provider name");
        }
        String file = name + ".json";
        JsonNode root;
        try (InputStream in = MappingFile.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalArgumentException("unknown roster provider '" + provider
                        + "': there is no field mapping for it");
            }
            root = JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(file + " cannot be read: " + e.getMessage(), e);
        }
        return parse(file, name, root);
    }

    static MappingFile parse(String file, String provider, JsonNode root) {
        Reader r = new Reader(file);
        r.only(root, "", "$comment", "provider", "dateFormats", "common", "types");
        if (!provider.equals(root.path("provider").asText())) {
            throw r.error("provider", "must be '" + provider + "'");
        }
        List<DatePattern> dates = new ArrayList<>();
        JsonNode formats = root.path("dateFormats");
        if (!formats.isArray() || formats.isEmpty()) {
            throw r.error("dateFormats", "must list at least one date format (M/D/YYYY or YYYY-MM-DD)");
        }
        for (JsonNode f : formats) {
            dates.add(DatePattern.parse(f.asText()).orElseThrow(
                    () -> r.error("dateFormats", "'" + f.asText() + "' is not M/D/YYYY or YYYY-MM-DD")));
        }
        JsonNode common = root.path("common");
        if (!common.isMissingNode()) {
            r.only(common, "common", "$comment", "fields", "school", "choices");
        }
        JsonNode typesNode = root.path("types");
        if (!typesNode.isObject()) {
            throw r.error("types", "must be an object keyed by record type");
        }
        Map<PatronType, TypeData> types = new EnumMap<>(PatronType.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = typesNode.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = "types." + e.getKey();
            PatronType type = PatronType.parse(e.getKey())
                    .orElseThrow(() -> r.error(at, "is not a record type (student, teacher, staff, district_admin)"));
            r.only(e.getValue(), at, "$comment", "fields", "school", "choices");
            types.put(type, r.typeData(at, common, e.getValue()));
        }
        return new MappingFile(file, provider, List.copyOf(dates), Collections.unmodifiableMap(types));
    }

    String file() {
        return file;
    }

    /** The provider name, lower case, as the file names it. */
    String provider() {
        return provider;
    }

    List<DatePattern> dateFormats() {
        return dateFormats;
    }

    Map<PatronType, TypeData> types() {
        return types;
    }

    /** The source of a choice, with its parameter (if any) set to {@code argument}. */
    ValueSource compile(String at, Choice choice, String argument) {
        Map<String, String> params = choice.parameter() == null ? Map.of() : Map.of(choice.parameter(), argument);
        return new Reader(file).source(at, choice.source(), params);
    }

    /** Reads entries of one file; its errors name the file and the entry. */
    private record Reader(String file) {

        IllegalStateException error(String at, String message) {
            return new IllegalStateException(file + ": " + (at.isEmpty() ? "" : at + ": ") + message);
        }

        void only(JsonNode node, String at, String... allowed) {
            if (!node.isObject()) {
                throw error(at, "must be an object");
            }
            List<String> keys = List.of(allowed);
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String key = it.next();
                if (!keys.contains(key)) {
                    throw error(at, "unknown entry '" + key + "' (allowed: " + String.join(", ", keys) + ")");
                }
            }
        }

        TypeData typeData(String at, JsonNode common, JsonNode own) {
            Map<String, JsonNode> fieldNodes = merged(common.path("fields"), own.path("fields"), at + ".fields");
            Map<PatronField, ValueSource> fields = new EnumMap<>(PatronField.class);
            fieldNodes.forEach((key, node) -> {
                String where = at + ".fields." + key;
                PatronField f = field(where, key);
                if (NOT_MAPPABLE.contains(f) || OPTIONAL.contains(f)) {
                    throw error(where, f.number() + " (" + f.label() + ") cannot be mapped here: "
                            + (OPTIONAL.contains(f) ? "it is optional, list its sources under 'choices'"
                                    : f == PatronField.GUID ? "it is always the record id" : "the sync engine sets it"));
                }
                fields.put(f, source(where, node, Map.of()));
            });

            JsonNode schoolNode = own.has("school") ? own.get("school") : common.path("school");
            ValueSource school = schoolNode.isMissingNode() || schoolNode.isNull() ? null
                    : source(at + ".school", schoolNode, Map.of());

            Map<String, JsonNode> choiceNodes = merged(common.path("choices"), own.path("choices"), at + ".choices");
            Map<PatronField, List<Choice>> choices = new EnumMap<>(PatronField.class);
            choiceNodes.forEach((key, node) -> {
                String where = at + ".choices." + key;
                PatronField f = field(where, key);
                if (!OPTIONAL.contains(f)) {
                    throw error(where, f.number() + " (" + f.label() + ") is not an optional field (1000, 1001, 1004)");
                }
                if (!node.isObject()) {
                    throw error(where, "must be an object: choice name -> source");
                }
                List<Choice> list = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    Choice c = choice(where, e.getKey(), e.getValue());
                    // a parameterized source is checked here with a stand-in argument, so a bad file fails at load
                    source(where + "." + c.name(), c.source(), c.parameter() == null ? Map.of() : Map.of(c.parameter(), "x"));
                    list.add(c);
                }
                choices.put(f, List.copyOf(list));
            });
            return new TypeData(Collections.unmodifiableMap(fields), school, Collections.unmodifiableMap(choices));
        }

        /** {@code common}'s entries, replaced one by one by the type's; a {@code null} entry removes one. */
        private Map<String, JsonNode> merged(JsonNode common, JsonNode own, String at) {
            Map<String, JsonNode> merged = new LinkedHashMap<>();
            for (JsonNode layer : List.of(common, own)) {
                if (layer.isMissingNode()) {
                    continue;
                }
                if (!layer.isObject()) {
                    throw error(at, "must be an object");
                }
                layer.fields().forEachRemaining(e -> {
                    if (e.getValue().isNull()) {
                        merged.remove(e.getKey());
                    } else {
                        merged.put(e.getKey(), e.getValue());
                    }
                });
            }
            return merged;
        }

        private PatronField field(String at, String key) {
            return PatronField.parse(key).orElseThrow(() -> error(at, "'" + key + "' is not a patron field number"));
        }

        private Choice choice(String at, String name, JsonNode source) {
            int colon = name.indexOf(':');
            if (colon < 0) {
                return new Choice(name, null, source);
            }
            String parameter = name.substring(colon + 1);
            if (colon == 0 || !parameter.startsWith("<") || !parameter.endsWith(">") || parameter.length() < 3) {
                throw error(at + "." + name, "a parameterized choice is written name:<parameter>");
            }
            return new Choice(name, parameter, source);
        }

        ValueSource source(String at, JsonNode node, Map<String, String> params) {
            if (node.isTextual()) {
                return new ValueSource.Path(path(at, node));
            }
            if (node.isArray()) {
                if (node.isEmpty()) {
                    throw error(at, "an empty list of sources");
                }
                List<ValueSource> sources = new ArrayList<>();
                int i = 0;
                for (JsonNode n : node) {
                    sources.add(source(at + "[" + i++ + "]", n, params));
                }
                return sources.size() == 1 ? sources.get(0) : new ValueSource.FirstOf(sources);
            }
            if (node.isObject() && node.has("each")) {
                ValueSource.ListPath list = new ValueSource.ListPath(path(at + ".each", node.get("each")));
                if (node.has("where")) {
                    only(node, at, "each", "where", "equals", "take");
                    String wanted = text(at + ".equals", node.path("equals"));
                    wanted = params.getOrDefault(wanted, wanted);
                    if (wanted.startsWith("<")) {
                        throw error(at + ".equals", "'" + wanted + "' is not a parameter of this choice");
                    }
                    return new ValueSource.Lookup(list,
                            new ValueSource.ElementPath(list, path(at + ".where", node.get("where"))), wanted,
                            new ValueSource.ElementPath(list, path(at + ".take", node.path("take"))));
                }
                only(node, at, "each", "take", "join");
                JsonNode take = node.path("take");
                List<ValueSource.ElementPath> parts = new ArrayList<>();
                if (take.isArray() && !take.isEmpty()) {
                    for (JsonNode part : take) {
                        parts.add(new ValueSource.ElementPath(list, path(at + ".take", part)));
                    }
                } else {
                    parts.add(new ValueSource.ElementPath(list, path(at + ".take", take)));
                }
                JsonNode join = node.path("join");
                if (!join.isTextual() || join.asText().isEmpty()) {
                    throw error(at + ".join", "the separator of the joined values is missing");
                }
                return new ValueSource.Joined(list, parts, join.asText());
            }
            throw error(at, "a source is a path, a list of sources, or an object with 'each'");
        }

        private String path(String at, JsonNode node) {
            String p = text(at, node);
            if (p.contains(" ") || p.startsWith(".") || p.endsWith(".")) {
                throw error(at, "'" + p + "' is not a path");
            }
            return p;
        }

        private String text(String at, JsonNode node) {
            if (node == null || !node.isTextual() || node.asText().isBlank()) {
                throw error(at, "must be a non-blank string");
            }
            return node.asText();
        }
    }
}
