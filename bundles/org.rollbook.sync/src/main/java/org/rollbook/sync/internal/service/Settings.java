package org.rollbook.sync.internal.service;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;
import org.rollbook.sync.internal.engine.RunSettings;
import org.rollbook.sync.internal.engine.Threshold;
import org.rollbook.sync.internal.mapping.MappingOptions;

/** Reads {@link SyncConfiguration} into the engine's settings; a bad value is an error naming it. */
final class Settings {
    private Settings() {
    }

    static RunSettings of(SyncConfiguration c) {
        Set<PatronType> types = EnumSet.noneOf(PatronType.class);
        for (String t : split(c.types(), ",")) {
            types.add(type(t, "types"));
        }
        Map<PatronType, String> policies = new EnumMap<>(PatronType.class);
        policies.put(PatronType.STUDENT, c.studentPolicy());
        policies.put(PatronType.TEACHER, c.teacherPolicy());
        policies.put(PatronType.STAFF, c.staffPolicy());
        policies.put(PatronType.DISTRICT_ADMIN, c.districtAdminPolicy());
        Map<PatronType, Set<PatronField>> erasable = new EnumMap<>(PatronType.class);
        perType(c.erasable(), "erasable").forEach((type, list) -> {
            Set<PatronField> fields = EnumSet.noneOf(PatronField.class);
            for (String f : list.split(",")) {
                if (!f.isBlank()) {
                    fields.add(PatronField.parse(f).orElseThrow(() -> new IllegalArgumentException(
                            "erasable: '" + f.strip() + "' is not a patron field")));
                }
            }
            erasable.put(type, fields);
        });
        MappingOptions mapping = new MappingOptions(perType(c.barcode(), "barcode"), perType(c.communityId(), "communityId"),
                perType(c.location(), "location"), erasable);
        return new RunSettings(types, policies, mapping, c.defaultSite(), threshold(c.holdCreates(), "holdCreates"),
                threshold(c.holdTransfers(), "holdTransfers"), c.holdMinimum(), c.batchSize(), c.barcodePrefix(),
                c.barcodeStart());
    }

    /** The Daily Operations time, or null when there is none. */
    static LocalTime dailyTime(SyncConfiguration c) {
        if (c.dailyTime() == null || c.dailyTime().isBlank()) {
            return null;
        }
        try {
            return LocalTime.parse(c.dailyTime().strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("dailyTime '" + c.dailyTime() + "' is not a time of day like 02:30");
        }
    }

    private static Threshold threshold(String text, String name) {
        try {
            return Threshold.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    /**
     * Configuration arrays arrive as arrays (typed .config, the console) or as one string (.cfg files):
     * accept both, with {@code separator} between items in a string.
     */
    static java.util.List<String> split(String[] raw, String separator) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String r : raw == null ? new String[0] : raw) {
            for (String item : r.split(java.util.regex.Pattern.quote(separator))) {
                if (!item.isBlank()) {
                    out.add(item.strip());
                }
            }
        }
        return out;
    }

    /** Entries like {@code student=student_number}, several separated by ';' in one string. */
    private static Map<PatronType, String> perType(String[] entries, String name) {
        Map<PatronType, String> out = new EnumMap<>(PatronType.class);
        for (String entry : split(entries, ";")) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(name + ": '" + entry + "' is not type=value");
            }
            String value = entry.substring(eq + 1).strip();
            if (!value.isEmpty()) {
                out.put(type(entry.substring(0, eq), name), value);
            }
        }
        return out;
    }

    private static PatronType type(String text, String name) {
        return PatronType.parse(text).orElseThrow(() -> new IllegalArgumentException(name + ": '" + text.strip()
                + "' is not one of student, teacher, staff, district_admin"));
    }
}
