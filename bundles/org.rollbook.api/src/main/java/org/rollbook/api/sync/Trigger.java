package org.rollbook.api.sync;

public enum Trigger {
    /** Sync Now, Preview, the API or the command line. */
    MANUAL,
    /** Daily Operations. */
    SCHEDULED
}
