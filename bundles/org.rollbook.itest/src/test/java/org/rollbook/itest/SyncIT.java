package org.rollbook.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronStatus;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.patron.Site;
import org.rollbook.api.roster.ConnectionCheck;
import org.rollbook.api.roster.FetchKind;
import org.rollbook.api.roster.FetchReport;
import org.rollbook.api.roster.FetchRequest;
import org.rollbook.api.roster.RosterConnector;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterSchool;
import org.rollbook.api.roster.RosterSink;
import org.rollbook.api.roster.RosterState;
import org.rollbook.api.store.KeyLookup;
import org.rollbook.api.store.PatronKeys;
import org.rollbook.api.store.PatronStore;
import org.rollbook.api.sync.LogFormat;
import org.rollbook.api.sync.LogQuery;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.SyncRequest;
import org.rollbook.api.sync.SyncService;

/** The sync engine inside the framework: a connector service from this test bundle, the real store. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SyncIT {

    @Inject
    BundleContext context;

    @Inject
    PatronStore store;

    @Inject
    SyncService sync;

    @Configuration
    public Option[] config() throws Exception {
        return new ServerIT().config();
    }

    /** A small Clever-shaped district held in memory. */
    static final class TestDistrict implements RosterConnector {
        final Map<String, RosterRecord> roster = new LinkedHashMap<>();
        final List<RosterRecord> changes = new ArrayList<>();
        int cursor;

        @Override
        public String provider() {
            return "clever";
        }

        @Override
        public String account() {
            return "it-district";
        }

        @Override
        public ConnectionCheck check() {
            return new ConnectionCheck(true, "ok");
        }

        @Override
        public List<RosterSchool> schools() {
            return List.of(new RosterSchool("sch-1", "Lincoln Elementary", "1"));
        }

        @Override
        public FetchReport fetch(FetchRequest request, RosterSink sink) {
            List<RosterRecord> source = request.kind() == FetchKind.FULL ? List.copyOf(roster.values()) : List.copyOf(changes);
            sink.expect(PatronType.STUDENT, source.size());
            source.stream().filter(r -> request.types().contains(r.type())).forEach(sink::accept);
            changes.clear();
            return FetchReport.complete("ev-" + (++cursor), source.size());
        }

        void student(String id, String first, String last, RosterState state) {
            Map<String, String> v = new LinkedHashMap<>();
            v.put("name.first", first);
            v.put("name.last", last);
            v.put("email", id + "@lincoln.example");
            v.put("roles.student.school", "sch-1");
            v.put("roles.student.dob", "3/7/2014");
            RosterRecord r = new RosterRecord(id, PatronType.STUDENT, state, v);
            if (state == RosterState.ACTIVE) {
                roster.put(id, r);
            } else {
                roster.remove(id);
            }
            changes.add(r);
        }
    }

    private Operation await(Operation op) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Operation now = sync.operation(op.id()).orElseThrow();
            if (now.status().finished() || now.status() == OperationStatus.HELD) {
                return now;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("operation " + op.id() + " did not finish: " + sync.operation(op.id()));
    }

    private PatronKeys byGuid(String guid) {
        List<PatronKeys> found = store.findByKeys(new KeyLookup("clever:it-district").guid(guid));
        assertEquals("one patron with GUID " + guid, 1, found.size());
        return found.get(0);
    }

    @Test
    public void fullThenIncrementalThroughTheRealStore() throws Exception {
        store.saveSite(new Site("LIN", "Lincoln", "sch-1"));
        TestDistrict district = new TestDistrict();
        for (int i = 0; i < 50; i++) {
            district.student("stu-" + i, "Kid" + i, "Family" + i, RosterState.ACTIVE);
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(RosterConnector.PROVIDER, "clever");
        ServiceRegistration<RosterConnector> reg = context.registerService(RosterConnector.class, district, props);
        try {
            Operation full = await(sync.start(SyncRequest.full(false)));
            assertEquals(full.message(), OperationStatus.COMPLETED, full.status());
            assertEquals(50, full.counts().stream().mapToLong(c -> c.records()).sum());
            assertEquals("2014-03-07", store.patron(byGuid("stu-7").id()).orElseThrow().get(PatronField.BIRTHDATE));
            assertEquals("LIN", store.patron(byGuid("stu-7").id()).orElseThrow().get(PatronField.SITE));

            district.changes.clear();
            district.student("stu-3", "Kid3", "Renamed", RosterState.ACTIVE);
            district.student("stu-4", "Kid4", "Family4", RosterState.DELETED);
            district.student("stu-new", "New", "Arrival", RosterState.ACTIVE);
            Operation inc = await(sync.start(SyncRequest.incremental(false)));
            assertEquals(inc.message(), OperationStatus.COMPLETED, inc.status());
            assertEquals("Renamed", store.patron(byGuid("stu-3").id()).orElseThrow().get(PatronField.LAST_NAME));
            assertEquals(PatronStatus.TRANSFERRED, byGuid("stu-4").status());
            byGuid("stu-new");

            ByteArrayOutputStream csv = new ByteArrayOutputStream();
            sync.download(inc.id(), LogQuery.all(0, 1), LogFormat.CSV, csv);
            String text = csv.toString(StandardCharsets.UTF_8);
            assertTrue(text, text.startsWith("seq,situation,outcome"));
            assertTrue(text, text.contains("stu-new"));
            assertEquals(3, sync.log(inc.id(), LogQuery.all(0, 100)).total());
        } finally {
            reg.unregister();
        }
    }
}
