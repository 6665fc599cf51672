package org.rollbook.sync.internal.engine;

import org.rollbook.api.store.PatronWrite;
import org.rollbook.api.sync.LogEntry;

/**
 * One planned step of a run: a patron write with the log line that describes it, or a log line alone
 * (dispute, skip, nothing to do). What a preview reports and what an apply writes are the same items.
 */
record PlanItem(PatronWrite write, LogEntry entry) {

    static PlanItem logOnly(LogEntry entry) {
        return new PlanItem(null, entry);
    }

    static PlanItem write(PatronWrite write, LogEntry entry) {
        return new PlanItem(write, entry);
    }
}
