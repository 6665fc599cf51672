package org.rollbook.api.patron;

import java.util.Optional;

/** Field 1026. A sync never deletes a patron; a patron who leaves the roster becomes TRANSFERRED. */
public enum PatronStatus {
    ACTIVE(1),
    INACTIVE(2),
    OTHER(3),
    TRANSFERRED(4);

    private final int code;

    PatronStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The status code as it is stored in field 1026. */
    public String fieldValue() {
        return Integer.toString(code);
    }

    public static Optional<PatronStatus> ofCode(int code) {
        for (PatronStatus s : values()) {
            if (s.code == code) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Parses a field-1026 value ("1".."4"); anything else is empty. */
    public static Optional<PatronStatus> ofFieldValue(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return ofCode(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
