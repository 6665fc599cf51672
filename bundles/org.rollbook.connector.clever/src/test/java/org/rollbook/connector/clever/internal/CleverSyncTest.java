package org.rollbook.connector.clever.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollbook.api.patron.Patron;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronStatus;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.patron.Site;
import org.rollbook.api.roster.ConnectionCheck;
import org.rollbook.api.roster.RosterSchool;
import org.rollbook.api.store.KeyLookup;
import org.rollbook.api.store.PatronKeys;
import org.rollbook.api.store.PatronQuery;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.Outcome;
import org.rollbook.api.sync.Situation;
import org.rollbook.api.sync.Trigger;
import org.rollbook.emulator.clever.CleverEmulator;
import org.rollbook.emulator.clever.District;
import org.rollbook.emulator.clever.DistrictSpec;
import org.rollbook.emulator.clever.Fault;
import org.rollbook.http.RosterHttp;
import org.rollbook.store.derby.internal.DerbyPatronStore;
import org.rollbook.sync.internal.engine.RunSettings;
import org.rollbook.sync.internal.engine.SyncEngine;
import org.rollbook.sync.internal.engine.Threshold;

/** Emulator → connector → engine → Derby, over real HTTP on loopback. */
class CleverSyncTest {

    static final DistrictSpec SPEC = new DistrictSpec(150, 12, 6, 2, 40, 3);

    @TempDir
    Path dir;

    CleverEmulator clever;
    final List<Duration> slept = new ArrayList<>();
    Store main;

    /** A store with the engine on top and the district's schools mapped to sites. */
    final class Store implements AutoCloseable {
        final DerbyPatronStore derby;
        final SyncEngine engine;
        final CleverConnector connector;
        final String integration;
        RunSettings settings = RunSettings.defaults().withHolds(Threshold.NONE, Threshold.NONE, 20);

        Store(Path data, CleverConnector connector) throws Exception {
            this.derby = DerbyPatronStore.open(data, 1000);
            this.engine = new SyncEngine(derby, derby, data.resolve("operations"));
            this.connector = connector;
            this.integration = "clever:" + connector.account();
            int i = 0;
            for (RosterSchool s : connector.schools()) {
                derby.saveSite(new Site("S" + (++i), s.name(), s.id()));
            }
        }

        Operation run(OperationKind kind) {
            Operation op = derby.createOperation(integration, kind, Trigger.MANUAL, false, Set.of(), 0);
            return engine.run(op, connector, settings, () -> false);
        }

        Patron byGuid(String guid) {
            List<PatronKeys> k = derby.findByKeys(new KeyLookup(integration).guid(guid));
            assertEquals(1, k.size(), "one patron for " + guid);
            return derby.patron(k.get(0).id()).orElseThrow();
        }

        long count() {
            return derby.search(PatronQuery.all(0, 1)).total();
        }

        long counted(Operation op, Situation s, Outcome o) {
            return derby.operation(op.id()).orElseThrow().counts().stream()
                    .filter(c -> c.situation() == s && c.outcome() == o).mapToLong(c -> c.records()).sum();
        }

        Set<String> snapshot() {
            Set<String> out = new TreeSet<>();
            for (int offset = 0;; offset += 500) {
                List<Patron> page = derby.search(PatronQuery.all(offset, 500)).items();
                for (Patron p : page) {
                    out.add(p.type() + "|" + p.fields());
                }
                if (page.size() < 500) {
                    return out;
                }
            }
        }

        @Override
        public void close() {
            derby.close();
        }
    }

    static <A> A config(Class<A> type, Map<String, Object> values) {
        return org.rollbook.api.config.ConfigProxy.of(type, values);
    }

    CleverConnector connector(Map<String, Object> overrides) {
        Map<String, Object> c = new HashMap<>();
        c.put("district", clever.districtId());
        c.put("clientId", clever.clientId());
        c.put("clientSecret", clever.clientSecret());
        c.put("apiUrl", clever.baseUrl().toString());
        c.put("oauthUrl", clever.baseUrl().toString());
        c.put("pageSize", 50);
        c.putAll(overrides);
        RosterHttp http = new RosterHttp(RosterHttp.Settings.defaults(), slept::add, Clock.systemUTC(), new Random(3));
        return new CleverConnector(config(CleverConfiguration.class, c), http);
    }

    @BeforeEach
    void start() throws Exception {
        clever = CleverEmulator.builder().seed(42).district(SPEC).build().start();
        main = new Store(dir.resolve("main"), connector(Map.of()));
    }

    @AfterEach
    void stop() {
        main.close();
        clever.close();
    }

    /** The main store again, with a connector reading smaller pages (more requests, more faults). */
    Store reopen(int pageSize) throws Exception {
        main.close();
        return new Store(dir.resolve("main"), connector(Map.of("pageSize", pageSize)));
    }

    /** Everyone the district shares as a patron type, each person once. */
    Set<String> rostered() {
        Set<String> ids = new HashSet<>();
        for (String role : List.of(District.ROLE_STUDENT, District.ROLE_TEACHER, District.ROLE_STAFF, District.ROLE_DISTRICT_ADMIN)) {
            ids.addAll(clever.district().userIds(role));
        }
        return ids;
    }

    @SuppressWarnings("unchecked")
    static String path(Map<String, Object> user, String dotted) {
        Object v = user;
        for (String k : dotted.split("\\.")) {
            if (!(v instanceof Map)) {
                return null;
            }
            v = ((Map<String, Object>) v).get(k);
        }
        return v == null || v.toString().isBlank() ? null : v.toString();
    }

    @Test
    void theFirstFullSyncCreatesEveryRosteredPersonWithTheirFieldsAndSite() {
        Operation op = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        Set<String> everyone = rostered();
        assertEquals(everyone.size(), main.count(), "each student, teacher, staff and admin once, contacts not at all");
        for (Map<String, Object> s : clever.district().users(District.ROLE_STUDENT, null, 40)) {
            Patron p = main.byGuid((String) s.get("id"));
            assertEquals(PatronType.STUDENT, p.type());
            assertEquals(path(s, "name.first"), p.get(PatronField.FIRST_NAME));
            assertEquals(path(s, "name.last"), p.get(PatronField.LAST_NAME));
            assertEquals(path(s, "email"), p.get(PatronField.EMAIL));
            String dob = path(s, "roles.student.dob");
            if (dob != null && dob.matches("\\d{1,2}/\\d{1,2}/\\d{4}")) {
                String[] mdy = dob.split("/");
                assertEquals(String.format("%s-%02d-%02d", mdy[2], Integer.parseInt(mdy[0]), Integer.parseInt(mdy[1])),
                        p.get(PatronField.BIRTHDATE));
            }
            String school = path(s, "roles.student.school");
            String site = main.derby.sites().stream().filter(x -> school.equals(x.providerId())).findFirst().orElseThrow().code();
            assertEquals(site, p.get(PatronField.SITE));
            assertEquals(PatronStatus.ACTIVE, p.status());
        }
        for (String id : clever.district().userIds(District.ROLE_TEACHER)) {
            assertEquals(PatronType.TEACHER, main.byGuid(id).type(), "a teacher who is also staff is synced as a teacher");
        }
        for (String id : clever.district().userIds(District.ROLE_DISTRICT_ADMIN)) {
            if (!clever.district().userIds(District.ROLE_TEACHER).contains(id) && !clever.district().userIds(District.ROLE_STAFF).contains(id)) {
                assertEquals(PatronType.DISTRICT_ADMIN, main.byGuid(id).type());
            }
        }
    }

    @Test
    void aSecondSyncChangesNothing() {
        main.run(OperationKind.FULL);
        Set<String> before = main.snapshot();
        Operation again = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.COMPLETED, again.status(), again.message());
        assertEquals(rostered().size(), main.counted(again, Situation.LINKED, Outcome.UNCHANGED));
        assertEquals(0, main.counted(again, Situation.LINKED, Outcome.UPDATED));
        assertEquals(before, main.snapshot());
    }

    @Test
    void mutationsArriveThroughAnIncrementalSyncAndRemovalsTransfer() {
        main.run(OperationKind.FULL);
        District d = clever.district();
        List<String> students = d.userIds(District.ROLE_STUDENT);
        String renamed = students.get(3);
        String removed = students.get(4);
        d.updateUser(renamed, Map.of("name.last", "Renamed-Ñúñez"));
        d.removeUser(removed);
        String school = (String) d.schools().get(0).get("id");
        String added = d.addStudent("Nova", "Arrival", school, "Kindergarten");

        Operation inc = main.run(OperationKind.INCREMENTAL);
        assertEquals(OperationStatus.COMPLETED, inc.status(), inc.message());
        assertEquals("Renamed-Ñúñez", main.byGuid(renamed).get(PatronField.LAST_NAME));
        assertEquals(PatronStatus.TRANSFERRED, main.byGuid(removed).status());
        assertEquals("K", main.byGuid(added).get(PatronField.LEVEL));
        assertEquals(1, main.counted(inc, Situation.UNMATCHED, Outcome.CREATED));
        assertEquals(2, main.counted(inc, Situation.LINKED, Outcome.UPDATED), main.derby.operation(inc.id()).orElseThrow().counts()
                + " " + main.derby.log(inc.id(), org.rollbook.api.sync.LogQuery.all(0, 100)).items());

        Operation quiet = main.run(OperationKind.INCREMENTAL);
        assertEquals(0, main.counted(quiet, Situation.LINKED, Outcome.UPDATED), "the cursor moved past those events");
    }

    @Test
    void aStaleCursorMakesTheIncrementalSyncReadTheWholeRoster() {
        main.run(OperationKind.FULL);
        String old = Long.toHexString(Instant.now().minus(Duration.ofDays(40)).getEpochSecond()) + "0000000000000000";
        main.derby.setState(main.integration, "cursor", old);
        String gone = clever.district().userIds(District.ROLE_STUDENT).get(0);
        clever.district().removeUser(gone);
        clever.district().ageEvents(Duration.ofDays(40)); // the deletion event is purged: only a full read finds it
        Operation op = main.run(OperationKind.INCREMENTAL);
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        assertTrue(op.message().contains("days old"), op.message());
        assertEquals(PatronStatus.TRANSFERRED, main.byGuid(gone).status(), "absence counted: the whole roster was read");
    }

    @Test
    void aRunWithInjectedFaultsEndsWithTheSameStoreAsACleanRun() throws Exception {
        main = reopen(30);
        clever.faults().rate(0.3, Fault.internalError(), Fault.badGateway(), Fault.serviceUnavailable(),
                Fault.gatewayTimeout(), Fault.truncatedJson(), Fault.connectionReset(), Fault.statusHtml(502));
        Operation faulty = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.COMPLETED, faulty.status(), faulty.message());
        assertTrue(clever.faults().injected() > 0, "faults were injected");
        assertFalse(slept.isEmpty(), "and retried after a backoff");
        clever.faults().clear();
        try (Store clean = new Store(dir.resolve("clean"), connector(Map.of()))) {
            clean.run(OperationKind.FULL);
            assertEquals(clean.snapshot(), main.snapshot());
        }
    }

    @Test
    void aFetchThatBreaksOffTransfersNobody() {
        main.run(OperationKind.FULL);
        String gone = clever.district().userIds(District.ROLE_STUDENT).get(0);
        clever.district().removeUser(gone);
        List<Fault> script = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            script.add(Fault.slow(Duration.ZERO)); // the cursor and two pages of students pass
        }
        for (int i = 0; i < 12; i++) {
            script.add(Fault.serviceUnavailable()); // then more failures than the retry budget
        }
        clever.faults().next(script.toArray(new Fault[0]));
        Operation op = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        assertTrue(op.message().contains("nobody was marked Transferred"), op.message());
        assertEquals(PatronStatus.ACTIVE, main.byGuid(gone).status(), "absent only because the fetch broke off");
    }

    @Test
    void aRosterThatCannotBeReadAtAllFailsCleanly() {
        main.run(OperationKind.FULL);
        Set<String> before = main.snapshot();
        clever.faults().rate(1.0, Fault.internalError());
        Operation op = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.FAILED, op.status(), op.message());
        assertTrue(op.message().contains("Nothing was written"), op.message());
        assertEquals(before, main.snapshot());
    }

    @Test
    void a429StormIsWaitedOutNotRetriedHot() {
        clever.faults().next(Fault.tooManyRequests(), Fault.tooManyRequests(), Fault.tooManyRequests(),
                Fault.tooManyRequests(), Fault.tooManyRequests());
        long before = clever.requestCount();
        Operation op = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        assertTrue(slept.size() >= 5, "one wait per 429: " + slept);
        assertTrue(slept.stream().allMatch(d -> d.toMillis() >= 250), "no hot retries: " + slept);
        long pages = 2 + (SPEC.students() / 50 + 1) + 4 * 2;
        assertTrue(clever.requestCount() - before <= pages + 5 + 2, "requests: " + (clever.requestCount() - before));
    }

    @Test
    void aRotatedTokenIsFetchedAgainOnce() {
        main.run(OperationKind.FULL);
        clever.rotateDistrictToken();
        Operation op = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
    }

    @Test
    void theConnectionCheckSaysWhatIsWrong() {
        assertTrue(main.connector.check().ok(), main.connector.check().message());
        ConnectionCheck badSecret = connector(Map.of("clientSecret", "wrong")).check();
        assertFalse(badSecret.ok());
        assertTrue(badSecret.message().contains("refused the client ID and secret"), badSecret.message());
        ConnectionCheck notShared = connector(Map.of("district", "5940d254cc70ab00017a1a87")).check();
        assertFalse(notShared.ok());
        assertTrue(notShared.message().contains("has not shared its data"), notShared.message());
        clever.faults().revokeToken(clever.districtToken());
        ConnectionCheck revoked = connector(Map.of("clientId", "", "clientSecret", "", "districtToken", clever.districtToken())).check();
        assertFalse(revoked.ok());
        assertTrue(revoked.message().contains("refused the district token"), revoked.message());
        ConnectionCheck unreachable = connector(Map.of("apiUrl", "http://127.0.0.1:1", "oauthUrl", "http://127.0.0.1:1")).check();
        assertFalse(unreachable.ok());
        assertTrue(unreachable.message().contains("cannot connect"), unreachable.message());
    }
}
