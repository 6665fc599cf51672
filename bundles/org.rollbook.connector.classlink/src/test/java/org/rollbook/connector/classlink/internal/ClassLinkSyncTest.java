package org.rollbook.connector.classlink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

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
import org.rollbook.api.roster.FetchKind;
import org.rollbook.api.roster.FetchReport;
import org.rollbook.api.roster.FetchRequest;
import org.rollbook.api.roster.RosterConnector;
import org.rollbook.api.roster.RosterException;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterSchool;
import org.rollbook.api.roster.RosterSink;
import org.rollbook.api.store.KeyLookup;
import org.rollbook.api.store.PatronKeys;
import org.rollbook.api.store.PatronQuery;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.Outcome;
import org.rollbook.api.sync.Situation;
import org.rollbook.api.sync.Trigger;
import org.rollbook.emulator.oneroster.DistrictSpec;
import org.rollbook.emulator.oneroster.Fault;
import org.rollbook.emulator.oneroster.OneRosterEmulator;
import org.rollbook.emulator.oneroster.Quirk;
import org.rollbook.emulator.oneroster.Role;
import org.rollbook.emulator.oneroster.RosterUser;
import org.rollbook.emulator.oneroster.Version;
import org.rollbook.http.RosterHttp;
import org.rollbook.store.derby.internal.DerbyPatronStore;
import org.rollbook.sync.internal.engine.RunSettings;
import org.rollbook.sync.internal.engine.SyncEngine;
import org.rollbook.sync.internal.engine.Threshold;
import org.rollbook.sync.internal.mapping.MappingOptions;

/** OneRoster emulator → ClassLink connector → sync engine → Derby, over real HTTP on loopback. */
class ClassLinkSyncTest {

    static final DistrictSpec SPEC = new DistrictSpec(80, 6, 5, 75, 2);

    @TempDir
    Path dir;

    OneRosterEmulator roster;
    final List<Duration> slept = new ArrayList<>();
    Store main;

    /** A store with the engine on top and the tenant's schools (and the district org) mapped to sites. */
    final class Store implements AutoCloseable {
        final DerbyPatronStore derby;
        final SyncEngine engine;
        final ClassLinkConnector connector;
        final String integration;
        RunSettings settings = RunSettings.defaults().withHolds(Threshold.NONE, Threshold.NONE, 20);

        Store(Path data, ClassLinkConnector connector) throws Exception {
            this.derby = DerbyPatronStore.open(data, 1000);
            this.engine = new SyncEngine(derby, derby, data.resolve("operations"));
            this.connector = connector;
            this.integration = "classlink:" + connector.account();
            int i = 0;
            // schools() lists the district org too (district-level administrators belong to it): map every one
            for (RosterSchool s : connector.schools()) {
                derby.saveSite(new Site("S" + (++i), s.name(), s.id()));
            }
            assertTrue(derby.sites().stream().anyMatch(s -> roster.district().districtOrgId().equals(s.providerId())),
                    "the district org is listed with the schools");
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

    ClassLinkConnector connector(Map<String, Object> overrides) {
        return connector(roster, overrides);
    }

    ClassLinkConnector connector(OneRosterEmulator e, Map<String, Object> overrides) {
        Map<String, Object> c = new HashMap<>();
        c.put("tenantId", e.tenantId());
        c.put("rosterServerUrl", e.baseUrlV1p1().toString());
        c.put("consumerKey", e.consumerKey());
        c.put("consumerSecret", e.consumerSecret());
        c.put("pageSize", 40);
        c.putAll(overrides);
        RosterHttp http = new RosterHttp(RosterHttp.Settings.defaults(), slept::add, Clock.systemUTC(), new Random(3));
        return new ClassLinkConnector(config(ClassLinkConfiguration.class, c), http);
    }

    static OneRosterEmulator emulator(Consumer<OneRosterEmulator.Builder> tweak) throws Exception {
        OneRosterEmulator.Builder b = OneRosterEmulator.builder().seed(42).district(SPEC);
        tweak.accept(b);
        return b.build().start();
    }

    @BeforeEach
    void start() throws Exception {
        roster = emulator(b -> { });
        main = new Store(dir.resolve("main"), connector(Map.of()));
    }

    @AfterEach
    void stop() {
        if (main != null) {
            main.close();
        }
        roster.close();
    }

    List<String> ids(Role role) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < roster.district().userCount(role); i++) {
            out.add(roster.district().userId(role, i));
        }
        return out;
    }

    int rosteredCount() {
        return ids(Role.STUDENT).size() + ids(Role.TEACHER).size() + ids(Role.ADMINISTRATOR).size();
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static String level(String grade) {
        if (grade.equals("KG")) {
            return "K";
        }
        return grade.matches("\\d+") ? String.valueOf(Integer.parseInt(grade)) : grade;
    }

    String siteOf(String orgId) {
        return main.derby.sites().stream().filter(x -> orgId.equals(x.providerId())).findFirst().orElseThrow().code();
    }

    /** What 1049 and 1054 should read for a student: the agents' names and emails, joined like classlink.json says. */
    String[] agentsOf(RosterUser s) {
        Set<String> names = new LinkedHashSet<>();
        Set<String> emails = new LinkedHashSet<>();
        for (String a : s.agentIds()) {
            RosterUser p = roster.district().user(a).orElseThrow();
            String name = (p.givenName().strip() + " " + p.familyName().strip()).strip();
            if (!name.isEmpty()) {
                names.add(name);
            }
            if (!p.email().isBlank()) {
                emails.add(p.email().strip());
            }
        }
        return new String[] {names.isEmpty() ? null : String.join("; ", names), emails.isEmpty() ? null : String.join("; ", emails)};
    }

    // ------------------------------------------------------------------ full, again, incremental

    @Test
    void theFirstFullSyncCreatesStudentsTeachersAndStaffWithTheirFields() {
        Operation op = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        assertEquals(rosteredCount(), main.count(), "students, teachers and administrators once, parents not at all");
        int withBirth = 0;
        int withAgents = 0;
        for (String id : ids(Role.STUDENT).subList(0, 60)) {
            RosterUser s = roster.district().user(id).orElseThrow();
            Patron p = main.byGuid(id);
            assertEquals(PatronType.STUDENT, p.type());
            assertEquals(blank(s.givenName()), p.get(PatronField.FIRST_NAME));
            assertEquals(blank(s.middleName()), p.get(PatronField.MIDDLE_NAME));
            assertEquals(blank(s.familyName()), p.get(PatronField.LAST_NAME));
            assertEquals(blank(s.email()), p.get(PatronField.EMAIL));
            assertEquals(blank(s.username()), p.get(PatronField.USERNAME));
            assertEquals(level(s.grades().get(0)), p.get(PatronField.LEVEL));
            assertEquals(siteOf(s.orgIds().get(0)), p.get(PatronField.SITE));
            assertEquals(PatronStatus.ACTIVE, p.status());
            if (s.birthDate() != null) {
                withBirth++;
                assertEquals(s.birthDate().toString(), p.get(PatronField.BIRTHDATE));
                assertEquals(s.sex().startsWith("f") ? "F" : "M", p.get(PatronField.SEX));
            }
            String[] agents = agentsOf(s);
            withAgents += agents[0] == null ? 0 : 1;
            assertEquals(agents[0], p.get(PatronField.ADDITIONAL_CONTACT), id);
            assertEquals(agents[1], p.get(PatronField.OTHER_EMAILS), id);
        }
        assertTrue(withBirth > 50, "demographics joined: " + withBirth);
        assertTrue(withAgents > 50, "agents resolved: " + withAgents);
        for (String id : ids(Role.TEACHER)) {
            Patron t = main.byGuid(id);
            assertEquals(PatronType.TEACHER, t.type());
            assertEquals(blank(roster.district().user(id).orElseThrow().familyName()), t.get(PatronField.LAST_NAME));
        }
        for (String id : ids(Role.ADMINISTRATOR)) {
            Patron a = main.byGuid(id);
            assertEquals(PatronType.STAFF, a.type());
            assertEquals(siteOf(roster.district().user(id).orElseThrow().orgIds().get(0)), a.get(PatronField.SITE));
        }
        for (String id : ids(Role.PARENT).subList(0, 5)) {
            assertTrue(main.derby.findByKeys(new KeyLookup(main.integration).guid(id)).isEmpty(), "parents are not patrons");
        }
    }

    @Test
    void aSecondFullSyncChangesNothing() {
        main.run(OperationKind.FULL);
        Set<String> before = main.snapshot();
        Operation again = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.COMPLETED, again.status(), again.message());
        assertEquals(rosteredCount(), main.counted(again, Situation.LINKED, Outcome.UNCHANGED));
        assertEquals(0, main.counted(again, Situation.LINKED, Outcome.UPDATED));
        assertEquals(before, main.snapshot());
    }

    @Test
    void mutationsArriveThroughAnIncrementalSyncAndRemovalsTransfer() {
        Operation first = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.COMPLETED, first.status(), first.message());
        long before = roster.requestCount();
        Operation nothing = main.run(OperationKind.INCREMENTAL);
        assertEquals(OperationStatus.COMPLETED, nothing.status(), nothing.message());
        assertEquals(0, main.derby.operation(nothing.id()).orElseThrow().counts().stream().mapToLong(c -> c.records()).sum());
        assertTrue(roster.requestCount() - before <= 6, "no student changed: demographics and parents are not read ("
                + (roster.requestCount() - before) + " requests)");

        List<String> students = ids(Role.STUDENT);
        String renamed = students.get(3);
        String removed = students.get(4);
        roster.district().updateUser(renamed, b -> b.familyName("Renamed-Ñúñez"));
        roster.district().removeUser(removed);
        String school = roster.district().schoolIds().get(0);
        String added = roster.district().addUser(RosterUser.builder(Role.STUDENT).givenName("Nova").familyName("Arrival")
                .username("nova.arrival").orgIds(List.of(school)).grades(List.of("KG"))).sourcedId();

        Operation inc = main.run(OperationKind.INCREMENTAL);
        assertEquals(OperationStatus.COMPLETED, inc.status(), inc.message());
        assertEquals("Renamed-Ñúñez", main.byGuid(renamed).get(PatronField.LAST_NAME));
        assertEquals(PatronStatus.TRANSFERRED, main.byGuid(removed).status());
        assertEquals("K", main.byGuid(added).get(PatronField.LEVEL));
        assertEquals(1, main.counted(inc, Situation.UNMATCHED, Outcome.CREATED));
        assertEquals(2, main.counted(inc, Situation.LINKED, Outcome.UPDATED));
        assertEquals(3, main.derby.operation(inc.id()).orElseThrow().counts().stream().mapToLong(c -> c.records()).sum(),
                "only the changed people were read");

        Operation quiet = main.run(OperationKind.INCREMENTAL);
        assertEquals(OperationStatus.COMPLETED, quiet.status(), quiet.message());
        assertEquals(0, main.counted(quiet, Situation.LINKED, Outcome.UPDATED), "re-read in the overlap, unchanged");
    }

    @Test
    void anUnusableCursorReadsTheWholeRoster() throws Exception {
        main.run(OperationKind.FULL);
        main.derby.setState(main.integration, "cursor", "not-a-time");
        String gone = ids(Role.STUDENT).get(0);
        roster.district().removeUser(gone);
        roster.district().purge(gone); // vanished without a trace: only a full read notices
        Operation op = main.run(OperationKind.INCREMENTAL);
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        assertTrue(op.message().contains("not a time"), op.message());
        assertEquals(PatronStatus.TRANSFERRED, main.byGuid(gone).status(), "absence counted: the whole roster was read");
        Instant cursor = ClassLinkConnector.parseCursor(main.derby.state(main.integration, "cursor").orElseThrow());
        assertNotNull(cursor);
        assertTrue(Duration.between(cursor, Instant.now()).abs().toMinutes() < 2, "the cursor is the fetch's start: " + cursor);
    }

    // ------------------------------------------------------------------ demographics, homeroom

    @Test
    void withDemographicsSwitchedOffStudentsStillSync() throws Exception {
        for (int status : new int[] {403, 200}) {
            try (OneRosterEmulator off = emulator(b -> b.demographics(false).demographicsOffStatus(status));
                    Store s = new Store(dir.resolve("off" + status), connector(off, Map.of()))) {
                Operation op = s.run(OperationKind.FULL);
                assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
                assertFalse(op.message().contains("nobody was marked"), op.message());
                assertEquals(rosteredCount(), s.count());
                String id = off.district().userId(Role.STUDENT, 7);
                assertNull(s.byGuid(id).get(PatronField.BIRTHDATE));
                assertNull(s.byGuid(id).get(PatronField.SEX));
                assertEquals(blank(off.district().user(id).orElseThrow().familyName()), s.byGuid(id).get(PatronField.LAST_NAME));
            }
        }
    }

    @Test
    void homeroomFillsLocationWhenMapped() throws Exception {
        main.close();
        main = new Store(dir.resolve("main"), connector(Map.of("homeroom", true)));
        main.settings = main.settings.withMapping(new MappingOptions(Map.of(), Map.of(),
                Map.of(PatronType.STUDENT, "teacher", PatronType.TEACHER, "location"), Map.of()));
        Operation op = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        for (String id : ids(Role.STUDENT).subList(0, 20)) {
            String cls = roster.district().homeroomClassId(id).orElseThrow();
            RosterUser teacher = roster.district().user(cls.substring(2)).orElseThrow();
            assertEquals((teacher.givenName().strip() + " " + teacher.familyName().strip()).strip(),
                    main.byGuid(id).get(PatronField.LOCATION), id);
        }
        for (String id : ids(Role.TEACHER)) {
            String location = main.byGuid(id).get(PatronField.LOCATION);
            assertTrue(location != null && location.startsWith("Room "), id + ": " + location);
        }
        assertNull(main.byGuid(ids(Role.ADMINISTRATOR).get(0)).get(PatronField.LOCATION));
    }

    // ------------------------------------------------------------------ faults and completeness

    @Test
    void aRunWithInjectedFaultsEndsWithTheSameStoreAsACleanRun() throws Exception {
        main.close();
        main = new Store(dir.resolve("main"), connector(Map.of("pageSize", 5)));
        roster.faults().rate(0.3, Fault.HTTP_500, Fault.HTTP_502, Fault.HTTP_503, Fault.HTTP_504, Fault.HTTP_502_HTML,
                Fault.HTTP_503_HTML, Fault.TRUNCATED_JSON, Fault.CONNECTION_RESET);
        long before = roster.requestCount();
        Operation faulty = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.COMPLETED, faulty.status(), faulty.message());
        assertFalse(faulty.message().contains("nobody was marked"), faulty.message());
        assertTrue(roster.faults().injected() > 10, "faults were injected: " + roster.faults().injected() + " in "
                + (roster.requestCount() - before) + " requests");
        assertFalse(slept.isEmpty(), "and retried after a backoff");
        roster.faults().clear();
        try (Store clean = new Store(dir.resolve("clean"), connector(Map.of()))) {
            clean.run(OperationKind.FULL);
            assertEquals(clean.snapshot(), main.snapshot());
        }
    }

    @Test
    void otherServersQuirksReadTheSame() throws Exception {
        main.run(OperationKind.FULL);
        Set<String> before = main.snapshot();
        roster.quirks().addAll(Set.of(Quirk.BARE_ARRAYS, Quirk.OMIT_TOTAL_COUNT, Quirk.OMIT_X_COUNT, Quirk.OMIT_LINK,
                Quirk.JSON_BOOLEANS, Quirk.NULL_FOR_EMPTY, Quirk.GRADES_AS_STRING, Quirk.DATES_WITHOUT_MILLIS,
                Quirk.FOREIGN_HREF_HOST));
        Operation op = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        assertFalse(op.message().contains("nobody was marked"), op.message());
        assertEquals(0, main.counted(op, Situation.LINKED, Outcome.UPDATED));
        assertEquals(before, main.snapshot());
    }

    @Test
    void aServerThatClampsTheLimitIsReadToTheEnd() throws Exception {
        try (OneRosterEmulator clamping = emulator(b -> b.maxLimit(15));
                Store s = new Store(dir.resolve("clamp"), connector(clamping, Map.of("pageSize", 40)))) {
            Operation op = s.run(OperationKind.FULL);
            assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
            assertFalse(op.message().contains("nobody was marked"), op.message());
            assertEquals(rosteredCount(), s.count());
        }
    }

    @Test
    void pagesTooHeavyForTheGatewayAreHalved() {
        roster.faults().badGatewayAboveLimit(15); // 502 whenever limit > 15 (P11)
        Operation op = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        assertFalse(op.message().contains("nobody was marked"), op.message());
        assertEquals(rosteredCount(), main.count());
    }

    @Test
    void rateLimitsAndARejectedSignatureAreRetried() {
        roster.faults().next(Fault.HTTP_429, Fault.HTTP_401, Fault.HTTP_429, Fault.HTTP_429);
        Operation op = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        assertFalse(op.message().contains("nobody was marked"), op.message());
        assertTrue(slept.size() >= 3, "one wait per 429: " + slept);
        assertTrue(slept.stream().allMatch(d -> d.toMillis() >= 250), "no hot retries: " + slept);
        assertEquals(rosteredCount(), main.count());
    }

    @Test
    void totalsThatDisagreeMakeTheFetchIncomplete() {
        main.run(OperationKind.FULL);
        String gone = ids(Role.STUDENT).get(0);
        roster.district().removeUser(gone);
        roster.district().purge(gone);
        roster.quirks().add(Quirk.WRONG_TOTAL_COUNT);
        Operation op = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        assertTrue(op.message().contains("nobody was marked Transferred"), op.message());
        assertTrue(op.message().contains("ran out of records"), op.message());
        assertEquals(PatronStatus.ACTIVE, main.byGuid(gone).status());
    }

    @Test
    void aFetchThatBreaksOffTransfersNobody() {
        main.run(OperationKind.FULL);
        String gone = ids(Role.STUDENT).get(0);
        roster.district().removeUser(gone);
        roster.district().purge(gone);
        // once 50 students are in, the server fails more often than the retry budget allows, for good
        RosterConnector breaking = new RosterConnector() {
            @Override
            public String provider() {
                return main.connector.provider();
            }

            @Override
            public String account() {
                return main.connector.account();
            }

            @Override
            public ConnectionCheck check() {
                return main.connector.check();
            }

            @Override
            public List<RosterSchool> schools() throws RosterException {
                return main.connector.schools();
            }

            @Override
            public FetchReport fetch(FetchRequest request, RosterSink sink) throws RosterException {
                int[] n = {0};
                return main.connector.fetch(request, new RosterSink() {
                    @Override
                    public void accept(RosterRecord r) {
                        sink.accept(r);
                        if (++n[0] == 50) {
                            roster.faults().rate(1.0, Fault.HTTP_503);
                        }
                    }

                    @Override
                    public boolean cancelled() {
                        return sink.cancelled();
                    }
                });
            }
        };
        Operation op = main.derby.createOperation(main.integration, OperationKind.FULL, Trigger.MANUAL, false, Set.of(), 0);
        op = main.engine.run(op, breaking, main.settings, () -> false);
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        assertTrue(op.message().contains("nobody was marked Transferred"), op.message());
        assertTrue(op.message().contains("broke off"), op.message());
        assertEquals(PatronStatus.ACTIVE, main.byGuid(gone).status(), "absent only because the fetch broke off");
    }

    @Test
    void aRosterThatCannotBeReadAtAllFailsCleanly() {
        main.run(OperationKind.FULL);
        Set<String> before = main.snapshot();
        roster.faults().rate(1.0, Fault.HTTP_500);
        Operation op = main.run(OperationKind.FULL);
        assertEquals(OperationStatus.FAILED, op.status(), op.message());
        assertTrue(op.message().contains("Nothing was written"), op.message());
        assertEquals(before, main.snapshot());
    }

    /** Collects what a fetch delivers; runs an action after the n-th student. */
    static final class Collecting implements RosterSink {
        final List<RosterRecord> records = new ArrayList<>();
        final int every;
        final Runnable action;
        int students;

        Collecting(int every, Runnable action) {
            this.every = every;
            this.action = action;
        }

        @Override
        public void accept(RosterRecord r) {
            records.add(r);
            if (r.type() == PatronType.STUDENT && every > 0 && ++students % every == 0) {
                action.run();
            }
        }
    }

    @Test
    void aPermRevChangeMidPullRestartsThePull() throws Exception {
        ClassLinkConnector c = connector(Map.of());
        int[] bumps = {0};
        Collecting once = new Collecting(40, () -> {
            if (bumps[0]++ == 0) {
                roster.district().bumpPermRev(); // a district import lands while students are read
            }
        });
        long before = roster.requestCount();
        FetchReport r = c.fetch(new FetchRequest(FetchKind.FULL, Set.of(PatronType.values()), null), once);
        assertTrue(r.complete(), r.incompleteReason());
        Set<String> students = new HashSet<>();
        for (RosterRecord rec : once.records) {
            if (rec.type() == PatronType.STUDENT) {
                assertTrue(students.add(rec.sourceId()), "delivered once: " + rec.sourceId());
            }
        }
        assertEquals(new HashSet<>(ids(Role.STUDENT)), students);
        long plain = roster.requestCount();
        c.fetch(new FetchRequest(FetchKind.FULL, Set.of(PatronType.values()), null), new Collecting(0, null));
        long clean = roster.requestCount() - plain;
        assertTrue(plain - before > clean, "the students were read again: " + (plain - before) + " vs " + clean);

        // a roster that never settles: bounded restarts, then an honest incomplete fetch
        roster.faults().rate(1.0, Fault.PERM_REV_CHANGE); // every answer carries a new x-perm-rev
        FetchReport restless = c.fetch(new FetchRequest(FetchKind.FULL, Set.of(PatronType.STUDENT), null), new Collecting(0, null));
        roster.faults().clear();
        assertFalse(restless.complete());
        assertTrue(restless.incompleteReason().contains("x-perm-rev"), restless.incompleteReason());
    }

    @Test
    void theConnectionCheckSaysWhatIsWrong() {
        ConnectionCheck ok = main.connector.check();
        assertTrue(ok.ok(), ok.message());
        ConnectionCheck badSecret = connector(Map.of("consumerSecret", "wrong")).check();
        assertFalse(badSecret.ok());
        assertTrue(badSecret.message().contains("refused the request signature"), badSecret.message());
        assertTrue(badSecret.message().contains("consumer key or secret"), badSecret.message());
        assertFalse(badSecret.message().contains("wrong\""), "the secret is not echoed");
        ConnectionCheck unreachable = connector(Map.of("rosterServerUrl", "http://127.0.0.1:1/ims/oneroster/v1p1")).check();
        assertFalse(unreachable.ok());
        assertTrue(unreachable.message().contains("cannot"), unreachable.message());
        String wrongPath = "http://127.0.0.1:" + roster.port() + "/elsewhere/ims/oneroster/v1p0";
        ConnectionCheck notFound = connector(Map.of("rosterServerUrl", wrongPath.replace("v1p0", "v1p1").replace("/ims", "/x/ims"))).check();
        assertFalse(notFound.ok());
        assertTrue(notFound.message().contains("404"), notFound.message());
    }

    // ------------------------------------------------------------------ OAuth 2 and 1.2

    @Test
    void oneRoster12WithOAuth2ReadsTheSamePeople() throws Exception {
        try (OneRosterEmulator v12 = emulator(b -> b.version(Version.V1P2));
                Store s = new Store(dir.resolve("v12"), connector(v12, Map.of("rosterServerUrl", v12.baseUrl().toString(),
                        "version", "v1p2", "consumerKey", "", "consumerSecret", "", "clientId", v12.clientId(),
                        "clientSecret", v12.clientSecret(), "tokenUrl", v12.tokenUrl().toString())))) {
            assertTrue(s.connector.check().ok(), s.connector.check().message());
            Operation op = s.run(OperationKind.FULL);
            assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
            assertEquals(rosteredCount(), s.count());
            String id = v12.district().userId(Role.STUDENT, 2);
            RosterUser u = v12.district().user(id).orElseThrow();
            String site = s.derby.sites().stream().filter(x -> u.orgIds().get(0).equals(x.providerId())).findFirst().orElseThrow().code();
            assertEquals(site, s.byGuid(id).get(PatronField.SITE), "1.2 primaryOrg selects the site");
            assertEquals(blank(u.familyName()), s.byGuid(id).get(PatronField.LAST_NAME));
            assertEquals(u.birthDate().toString(), s.byGuid(id).get(PatronField.BIRTHDATE));
            for (String a : List.of(v12.district().userId(Role.ADMINISTRATOR, 0), v12.district().userId(Role.ADMINISTRATOR, 1))) {
                assertEquals(PatronType.STAFF, s.byGuid(a).type());
            }
            ConnectionCheck bad = connector(v12, Map.of("rosterServerUrl", v12.baseUrl().toString(), "version", "v1p2",
                    "consumerKey", "", "consumerSecret", "", "clientId", v12.clientId(), "clientSecret", "nope",
                    "tokenUrl", v12.tokenUrl().toString())).check();
            assertFalse(bad.ok());
            assertTrue(bad.message().contains("refused the client ID and secret"), bad.message());
        }
    }
}
