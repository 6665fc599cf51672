package org.rollbook.sync.internal.mapping;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.rollbook.api.patron.PatronField;

/**
 * Turns a provider's value into what the store keeps (SPEC §2): trimmed, blank means absent, birthdate as
 * ISO {@code YYYY-MM-DD}, sex as M/F/X, grade as a canonical level, and never longer than the store's
 * column. A value that has to be adjusted or dropped adds a note for the run log; nothing fails.
 */
public final class Normalizer {

    private static final Map<PatronField, Integer> MAX_LENGTH = new EnumMap<>(PatronField.class);
    /** Fields holding "; "-joined entries: cut between entries, not inside one. */
    private static final Set<PatronField> LISTS = EnumSet.of(PatronField.ADDITIONAL_CONTACT, PatronField.OTHER_EMAILS);
    private static final String LIST_SEPARATOR = "; ";
    /** Provider grade spellings (Clever, OneRoster/CEDS) and their lower-case forms → canonical level. */
    private static final Map<String, String> LEVELS = new HashMap<>();

    static {
        MAX_LENGTH.put(PatronField.GUID, 255);
        MAX_LENGTH.put(PatronField.BARCODE, 255);
        MAX_LENGTH.put(PatronField.COMMUNITY_ID, 255);
        MAX_LENGTH.put(PatronField.FIRST_NAME, 255);
        MAX_LENGTH.put(PatronField.MIDDLE_NAME, 255);
        MAX_LENGTH.put(PatronField.LAST_NAME, 255);
        MAX_LENGTH.put(PatronField.BIRTHDATE, 10);
        MAX_LENGTH.put(PatronField.SEX, 1);
        MAX_LENGTH.put(PatronField.ADDRESS, 500);
        MAX_LENGTH.put(PatronField.CITY, 255);
        MAX_LENGTH.put(PatronField.STATE, 100);
        MAX_LENGTH.put(PatronField.POSTAL_CODE, 40);
        MAX_LENGTH.put(PatronField.PHONE, 100);
        MAX_LENGTH.put(PatronField.EMAIL, 320);
        MAX_LENGTH.put(PatronField.ADDITIONAL_CONTACT, 2000);
        MAX_LENGTH.put(PatronField.OTHER_EMAILS, 2000);
        MAX_LENGTH.put(PatronField.LOCATION, 255);
        MAX_LENGTH.put(PatronField.LEVEL, 40);
        MAX_LENGTH.put(PatronField.USERNAME, 255);
        MAX_LENGTH.put(PatronField.SITE, 100);
        MAX_LENGTH.put(PatronField.STATUS, 1);

        for (int grade = 1; grade <= 12; grade++) {
            spellings(String.valueOf(grade), String.valueOf(grade), String.format(Locale.ROOT, "%02d", grade));
        }
        spellings("K", "Kindergarten", "KG", "K");
        spellings("PK", "PreKindergarten", "PK");
        spellings("TK", "TransitionalKindergarten", "TK");
        spellings("IT", "InfantToddler", "IT");
        spellings("PS", "Preschool", "PR", "PS");
        spellings("PG", "PostGraduate", "13", "PG");
        spellings("UG", "Ungraded", "UG");
        spellings("Other", "Other");
    }

    private static void spellings(String canonical, String... spellings) {
        for (String s : spellings) {
            LEVELS.put(s, canonical);
            LEVELS.put(s.toLowerCase(Locale.ROOT), canonical);
        }
    }

    private final List<DatePattern> dateFormats;

    /** @param dateFormats the formats the provider sends dates in, tried in order */
    public Normalizer(List<DatePattern> dateFormats) {
        if (dateFormats.isEmpty()) {
            throw new IllegalArgumentException("a provider needs at least one date format");
        }
        this.dateFormats = List.copyOf(dateFormats);
    }

    public List<DatePattern> dateFormats() {
        return dateFormats;
    }

    /** The longest value the store keeps for the field. */
    public static int maxLength(PatronField field) {
        return MAX_LENGTH.get(field);
    }

    /**
     * The value to store for the field, or null when there is none (blank, or not usable: a date that is not
     * a date). Adjustments are described in {@code notes}.
     */
    public String normalize(PatronField field, String raw, List<String> notes) {
        if (raw == null) {
            return null;
        }
        String v = raw.strip();
        if (v.isEmpty()) {
            return null;
        }
        return switch (field) {
            case BIRTHDATE -> birthdate(v, notes);
            case SEX -> sex(v, notes);
            case LEVEL -> fit(field, level(v, notes), notes);
            // an identity: cutting it would make it someone else's
            case GUID -> v;
            default -> fit(field, v, notes);
        };
    }

    private String birthdate(String v, List<String> notes) {
        for (DatePattern p : dateFormats) {
            String iso = p.toIso(v);
            if (iso != null) {
                return iso;
            }
        }
        notes.add("birthdate '" + v + "' is not a date; left out");
        return null;
    }

    /** M, F or X; male/female in any case count as M/F, anything else is kept as X. */
    static String sex(String v, List<String> notes) {
        if (v.length() == 1) {
            switch (v.charAt(0)) {
                case 'M', 'm' -> {
                    return "M";
                }
                case 'F', 'f' -> {
                    return "F";
                }
                case 'X', 'x' -> {
                    return "X";
                }
                default -> {
                }
            }
        } else if (v.equalsIgnoreCase("male")) {
            return "M";
        } else if (v.equalsIgnoreCase("female")) {
            return "F";
        }
        notes.add("sex '" + v + "' kept as X");
        return "X";
    }

    /** The canonical level for a provider grade; an unknown grade is kept as sent. */
    static String level(String v, List<String> notes) {
        String grade = v;
        int comma = grade.indexOf(',');
        if (comma >= 0) {
            // CSV-style "09,10,11": the first grade is the patron's level, as with grades[0]
            grade = grade.substring(0, comma).strip();
        }
        String level = LEVELS.get(grade);
        if (level == null) {
            level = LEVELS.get(grade.toLowerCase(Locale.ROOT));
        }
        if (level != null) {
            return level;
        }
        notes.add("grade '" + v + "' is not a known grade; kept as sent");
        return v;
    }

    /** The value cut to the field's column size; list fields are cut between entries where possible. */
    static String fit(PatronField field, String v, List<String> notes) {
        Integer max = MAX_LENGTH.get(field);
        if (max == null || v.length() <= max) {
            return v;
        }
        int cut = max;
        if (LISTS.contains(field)) {
            int separator = v.lastIndexOf(LIST_SEPARATOR, max);
            if (separator > 0) {
                cut = separator;
            }
        }
        if (Character.isHighSurrogate(v.charAt(cut - 1))) {
            cut--;
        }
        String kept = v.substring(0, cut).strip();
        notes.add(noteName(field) + " is " + v.length() + " characters, more than the " + max
                + " the store keeps; cut to " + kept.length());
        return kept;
    }

    /** "first name", "community ID": the label as it reads inside a sentence. */
    static String noteName(PatronField field) {
        String label = field.label();
        if (label.length() > 1 && Character.isUpperCase(label.charAt(1))) {
            return label;
        }
        return Character.toLowerCase(label.charAt(0)) + label.substring(1);
    }
}
