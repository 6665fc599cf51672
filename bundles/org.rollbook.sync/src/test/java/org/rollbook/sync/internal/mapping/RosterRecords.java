package org.rollbook.sync.internal.mapping;

import java.util.LinkedHashMap;
import java.util.Map;

import org.rollbook.api.patron.PatronType;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterState;

/** Roster records for tests, written as path/value pairs the way connectors flatten them. */
final class RosterRecords {

    private RosterRecords() {
    }

    static RosterRecord active(String id, PatronType type, String... pathsAndValues) {
        return new RosterRecord(id, type, RosterState.ACTIVE, values(pathsAndValues));
    }

    static RosterRecord deleted(String id, PatronType type, String... pathsAndValues) {
        return new RosterRecord(id, type, RosterState.DELETED, values(pathsAndValues));
    }

    static Map<String, String> values(String... pathsAndValues) {
        if (pathsAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("paths and values come in pairs");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndValues.length; i += 2) {
            values.put(pathsAndValues[i], pathsAndValues[i + 1]);
        }
        return values;
    }
}
