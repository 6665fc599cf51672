package org.rollbook.api.roster;

/** Whether the provider still lists the person: Clever {@code *.deleted}, OneRoster {@code tobedeleted}. */
public enum RosterState {
    ACTIVE,
    DELETED
}
