package org.rollbook.api.patron;

import java.util.Locale;
import java.util.Optional;

/**
 * The patron fields a sync can own, with the numbers the seed documents use (SPEC §2), so that field
 * mappings read the same as the product they come from.
 */
public enum PatronField {
    GUID(1200, "GUID"),
    BARCODE(1000, "Barcode"),
    COMMUNITY_ID(1001, "Community ID"),
    FIRST_NAME(1007, "First name"),
    MIDDLE_NAME(1008, "Middle name"),
    LAST_NAME(1006, "Last name"),
    BIRTHDATE(1045, "Birthdate"),
    SEX(1032, "Sex"),
    ADDRESS(1011, "Address"),
    CITY(1012, "City"),
    STATE(1013, "State"),
    POSTAL_CODE(1014, "Postal code"),
    PHONE(1017, "Phone"),
    EMAIL(1019, "Email"),
    ADDITIONAL_CONTACT(1049, "Additional contact"),
    OTHER_EMAILS(1054, "Other emails"),
    LOCATION(1004, "Location"),
    LEVEL(1010, "Level"),
    USERNAME(1052, "Username"),
    SITE(1050, "Site"),
    STATUS(1026, "Status");

    private final int number;
    private final String label;
    private final String key;

    PatronField(int number, String label) {
        this.number = number;
        this.label = label;
        this.key = camel(name());
    }

    /** The field number of SPEC §2, e.g. 1019 for Email. */
    public int number() {
        return number;
    }

    /** Human label, e.g. "Community ID" (the console may rename it through terminology). */
    public String label() {
        return label;
    }

    /** The name used in JSON and CSV, e.g. {@code communityId}. */
    public String key() {
        return key;
    }

    public static Optional<PatronField> byNumber(int number) {
        for (PatronField f : values()) {
            if (f.number == number) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Accepts the number ("1019"), the JSON key ("email") or the enum name ("EMAIL"). */
    public static Optional<PatronField> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            return byNumber(Integer.parseInt(t));
        }
        for (PatronField f : values()) {
            if (f.key.equalsIgnoreCase(t) || f.name().equalsIgnoreCase(t)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    private static String camel(String constant) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : constant.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }
}
