package org.rollbook.sync.internal.mapping;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/** A date format a roster provider sends birthdates in; {@link #toIso} turns such a date into {@code YYYY-MM-DD}. */
public enum DatePattern {
    /** Clever: {@code 3/7/2012}, {@code 03/07/2012}. */
    MONTH_DAY_YEAR("M/D/YYYY"),
    /** OneRoster: {@code 2012-03-07}, optionally followed by a time ({@code T...} or a space). */
    ISO("YYYY-MM-DD");

    private final String pattern;

    DatePattern(String pattern) {
        this.pattern = pattern;
    }

    /** How the mapping data names this format, e.g. {@code M/D/YYYY}. */
    public String pattern() {
        return pattern;
    }

    public static Optional<DatePattern> parse(String text) {
        for (DatePattern p : values()) {
            if (p.pattern.equalsIgnoreCase(text) || p.name().equalsIgnoreCase(text)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The date as {@code YYYY-MM-DD}, or null when the text is not a real date in this format. */
    public String toIso(String text) {
        return switch (this) {
            case MONTH_DAY_YEAR -> monthDayYear(text);
            case ISO -> isoDate(text);
        };
    }

    private static String monthDayYear(String s) {
        int slash1 = s.indexOf('/');
        int slash2 = slash1 < 0 ? -1 : s.indexOf('/', slash1 + 1);
        if (slash2 < 0 || s.length() - slash2 - 1 != 4) {
            return null;
        }
        int month = number(s, 0, slash1, 2);
        int day = number(s, slash1 + 1, slash2, 2);
        int year = number(s, slash2 + 1, s.length(), 4);
        return iso(year, month, day);
    }

    private static String isoDate(String s) {
        if (s.length() < 10 || s.charAt(4) != '-' || s.charAt(7) != '-'
                || (s.length() > 10 && s.charAt(10) != 'T' && s.charAt(10) != ' ')) {
            return null;
        }
        return iso(number(s, 0, 4, 4), number(s, 5, 7, 2), number(s, 8, 10, 2));
    }

    /** The decimal number in s[from, to) of 1 to maxDigits ASCII digits, or -1. */
    private static int number(String s, int from, int to, int maxDigits) {
        if (to <= from || to - from > maxDigits) {
            return -1;
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static String iso(int year, int month, int day) {
        if (year < 1 || month < 1 || day < 1) {
            return null;
        }
        try {
            return LocalDate.of(year, month, day).toString();
        } catch (DateTimeException impossible) {
            return null;
        }
    }
}
