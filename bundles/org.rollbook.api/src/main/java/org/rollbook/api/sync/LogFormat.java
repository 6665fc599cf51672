package org.rollbook.api.sync;

/** Download formats of an operation's log. */
public enum LogFormat {
    TEXT,
    CSV
}
