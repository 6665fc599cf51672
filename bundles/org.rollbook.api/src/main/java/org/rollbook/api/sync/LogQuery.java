package org.rollbook.api.sync;

import org.rollbook.api.patron.PatronType;

/** A filter on an operation's log; null fields do not filter. */
public record LogQuery(Situation situation, Outcome outcome, PatronType type, String site, int offset, int limit) {

    public static final int MAX_LIMIT = 1000;

    public LogQuery {
        if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("offset must be >= 0 and limit between 1 and " + MAX_LIMIT);
        }
        site = site == null || site.isBlank() ? null : site.strip();
    }

    public static LogQuery all(int offset, int limit) {
        return new LogQuery(null, null, null, null, offset, limit);
    }
}
