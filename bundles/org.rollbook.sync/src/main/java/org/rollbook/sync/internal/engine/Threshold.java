package org.rollbook.sync.internal.engine;

import java.util.Locale;

/**
 * A safety-hold limit: a count ("500") or a share of the existing patrons ("10%"); "" means none.
 * A share is not applied where there are no patrons yet to compare with (a district's first sync).
 */
public record Threshold(long count, double percent) {

    public static final Threshold NONE = new Threshold(0, 0);

    public static Threshold parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("%")) {
                double p = Double.parseDouble(t.substring(0, t.length() - 1).strip());
                if (p <= 0 || p > 100) {
                    throw new IllegalArgumentException("a share must be between 0 and 100%, not '" + text + "'");
                }
                return new Threshold(0, p);
            }
            long n = Long.parseLong(t);
            if (n <= 0) {
                throw new IllegalArgumentException("a count must be positive, not '" + text + "'");
            }
            return new Threshold(n, 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is neither a count (500) nor a share (10%)");
        }
    }

    boolean isNone() {
        return count == 0 && percent == 0;
    }

    /** True when {@code n} changes among {@code base} existing patrons go over this limit. */
    boolean exceededBy(long n, long base) {
        if (count > 0 && n > count) {
            return true;
        }
        return percent > 0 && base > 0 && n * 100.0 / base > percent;
    }

    @Override
    public String toString() {
        return isNone() ? "none" : count > 0 ? Long.toString(count) : (percent % 1 == 0 ? Long.toString((long) percent) : Double.toString(percent)) + "%";
    }
}
