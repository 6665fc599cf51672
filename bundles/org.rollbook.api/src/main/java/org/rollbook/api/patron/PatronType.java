package org.rollbook.api.patron;

import java.util.Optional;

/** The kind of person a patron record stands for; also the record types a roster delivers. */
public enum PatronType {
    STUDENT("student"),
    TEACHER("teacher"),
    STAFF("staff"),
    DISTRICT_ADMIN("district_admin");

    private final String code;

    PatronType(String code) {
        this.code = code;
    }

    /** Lower-case code used in configuration, JSON and logs. */
    public String code() {
        return code;
    }

    public static Optional<PatronType> parse(String text) {
        if (text != null) {
            for (PatronType t : values()) {
                if (t.code.equalsIgnoreCase(text.trim()) || t.name().equalsIgnoreCase(text.trim())) {
                    return Optional.of(t);
                }
            }
        }
        return Optional.empty();
    }
}
