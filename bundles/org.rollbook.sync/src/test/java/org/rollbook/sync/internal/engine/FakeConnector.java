package org.rollbook.sync.internal.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rollbook.api.patron.PatronType;
import org.rollbook.api.roster.FetchKind;
import org.rollbook.api.roster.FetchReport;
import org.rollbook.api.roster.FetchRequest;
import org.rollbook.api.roster.RosterException;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterSink;
import org.rollbook.api.roster.RosterState;

/** A Clever-shaped roster held in memory: records by GUID, a change list for incremental fetches. */
public final class FakeConnector extends TestConnector {

    final Map<String, RosterRecord> roster = new LinkedHashMap<>();
    final List<RosterRecord> changes = new ArrayList<>();
    String incompleteReason;
    /** when set, a CHANGES fetch reads everything instead and says this */
    String fallBackToFull;
    int failAfter = -1;
    int cursor;

    FakeConnector() {
        super("district-1");
    }





    @Override
    public FetchReport fetch(FetchRequest request, RosterSink sink) throws RosterException {
        boolean full = request.kind() == FetchKind.FULL || fallBackToFull != null;
        List<RosterRecord> source = full ? List.copyOf(roster.values()) : List.copyOf(changes);
        long n = 0;
        for (RosterRecord r : source) {
            if (sink.cancelled()) {
                return FetchReport.incomplete("cancelled", null, n);
            }
            if (failAfter >= 0 && n >= failAfter) {
                return FetchReport.incomplete("page 3 answered 502 five times", null, n);
            }
            if (request.types().contains(r.type())) {
                sink.accept(r);
                n++;
            }
        }
        if (request.kind() == FetchKind.CHANGES) {
            changes.clear();
        }
        cursor++;
        FetchReport report = incompleteReason == null ? FetchReport.complete("event-" + cursor, n)
                : FetchReport.incomplete(incompleteReason, "event-" + cursor, n);
        return request.kind() == FetchKind.CHANGES && fallBackToFull != null ? report.performedFull(fallBackToFull) : report;
    }

    // ---------------------------------------------------------------- roster building

    static RosterRecord student(String id, String first, String last, String email, String school) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("name.first", first);
        v.put("name.last", last);
        v.put("email", email);
        v.put("roles.student.school", school);
        v.put("roles.student.grade", "5");
        return new RosterRecord(id, PatronType.STUDENT, RosterState.ACTIVE, v);
    }

    static RosterRecord teacher(String id, String first, String last, String email, String school) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("name.first", first);
        v.put("name.last", last);
        v.put("email", email);
        v.put("roles.teacher.school", school);
        return new RosterRecord(id, PatronType.TEACHER, RosterState.ACTIVE, v);
    }

    static RosterRecord with(RosterRecord r, String path, String value) {
        Map<String, String> v = new LinkedHashMap<>(r.values());
        if (value == null) {
            v.remove(path);
        } else {
            v.put(path, value);
        }
        return new RosterRecord(r.sourceId(), r.type(), r.state(), v);
    }

    static RosterRecord deleted(RosterRecord r) {
        return new RosterRecord(r.sourceId(), r.type(), RosterState.DELETED, r.values());
    }

    FakeConnector add(RosterRecord... records) {
        for (RosterRecord r : records) {
            roster.put(r.sourceId(), r);
        }
        return this;
    }
}
