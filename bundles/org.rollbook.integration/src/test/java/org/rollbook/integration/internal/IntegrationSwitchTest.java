package org.rollbook.integration.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollbook.api.integration.IntegrationSwitch;
import org.rollbook.api.integration.SwitchPlan;
import org.rollbook.api.patron.Patron;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.patron.Site;
import org.rollbook.api.roster.ConnectionCheck;
import org.rollbook.api.roster.FetchReport;
import org.rollbook.api.roster.FetchRequest;
import org.rollbook.api.roster.RosterConnector;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterSchool;
import org.rollbook.api.roster.RosterSink;
import org.rollbook.api.roster.RosterState;
import org.rollbook.api.store.KeyLookup;
import org.rollbook.api.store.PatronQuery;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.LogQuery;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.Situation;
import org.rollbook.api.sync.SyncException;
import org.rollbook.api.sync.Trigger;
import org.rollbook.store.derby.internal.DerbyPatronStore;
import org.rollbook.sync.internal.engine.RunSettings;
import org.rollbook.sync.internal.engine.SyncEngine;
import org.rollbook.sync.internal.engine.Threshold;

/** One integration at a time: Clever on, then ClassLink enabled with "Begin", and the same people re-linked. */
class IntegrationSwitchTest {

    @TempDir
    Path dir;

    DerbyPatronStore store;
    SyncEngine engine;
    IntegrationSwitchImpl integrations;
    final List<String> selections = new ArrayList<>();
    final RunSettings settings = RunSettings.defaults().withHolds(Threshold.NONE, Threshold.NONE, 20);

    /** Three students, as each provider shows them (different ids, same emails). */
    record District(String provider, String account, String school, Map<String, Map<String, String>> people)
            implements RosterConnector {
        @Override
        public ConnectionCheck check() {
            return new ConnectionCheck(true, "ok");
        }

        @Override
        public List<RosterSchool> schools() {
            return List.of(new RosterSchool(school, "Lincoln", "1"));
        }

        @Override
        public FetchReport fetch(FetchRequest request, RosterSink sink) {
            people.forEach((id, v) -> sink.accept(new RosterRecord(id, PatronType.STUDENT, RosterState.ACTIVE, v)));
            return FetchReport.complete(null, people.size());
        }
    }

    static District clever() {
        Map<String, Map<String, String>> p = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            p.put("clever-" + i, Map.of("name.first", "Kid" + i, "name.last", "Lee", "email", "kid" + i + "@lincoln.example",
                    "roles.student.school", "clever-school"));
        }
        return new District("clever", "d1", "clever-school", p);
    }

    static District classlink() {
        Map<String, Map<String, String>> p = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            p.put("cl-" + i, Map.of("givenName", "Kid" + i, "familyName", "Lee", "email", "KID" + i + "@lincoln.example",
                    "orgs[0].sourcedId", "cl-school"));
        }
        return new District("classlink", "tenant-7", "cl-school", p);
    }

    static <A> A config(Class<A> type, Map<String, Object> values) {
        return org.rollbook.api.config.ConfigProxy.of(type, values);
    }

    @BeforeEach
    void open() {
        store = DerbyPatronStore.open(dir, 1000);
        engine = new SyncEngine(store, store, dir.resolve("operations"));
        integrations = new IntegrationSwitchImpl("", store, store, selections::add, null);
        integrations.addConnector(clever());
        integrations.addConnector(classlink());
    }

    @AfterEach
    void close() {
        store.close();
    }

    Operation sync(District d) {
        Operation op = store.createOperation(d.provider() + ":" + d.account(), OperationKind.FULL, Trigger.MANUAL, false, Set.of(), 0);
        return engine.run(op, d, settings, () -> false);
    }

    Patron byGuid(String integration, String guid) {
        return store.patron(store.findByKeys(new KeyLookup(integration).guid(guid)).get(0).id()).orElseThrow();
    }

    @Test
    void switchingClearsTheCurrentIdentifiersOnlyAfterBeginAndTheNewProviderRelinksByEmail() {
        store.saveSite(new Site("LIN", "Lincoln", "clever-school"));
        assertEquals(OperationStatus.COMPLETED, sync(clever()).status());
        long kid1 = byGuid("clever:d1", "clever-1").id();

        SwitchPlan plan = integrations.plan("classlink");
        assertEquals("clever:d1", plan.from());
        assertEquals("classlink:tenant-7", plan.to());
        assertEquals(3, plan.cleared().linkedPatrons());
        assertEquals(1, plan.cleared().mappedSites());
        assertTrue(plan.message().startsWith("Begin will disable clever:d1"), plan.message());
        assertEquals(3, store.footprint("clever:d1").linkedPatrons(), "a plan changes nothing");

        SyncException unconfirmed = assertThrows(SyncException.class, () -> integrations.begin("classlink", "yes"));
        assertTrue(unconfirmed.getMessage().contains("\"Begin\""), unconfirmed.getMessage());
        assertEquals("clever-1", store.patron(kid1).orElseThrow().get(PatronField.GUID), "nothing cleared without Begin");
        assertEquals(List.of(), selections);

        SwitchPlan done = integrations.begin("classlink", IntegrationSwitch.CONFIRMATION);
        assertEquals(3, done.cleared().linkedPatrons());
        assertEquals(List.of("classlink"), selections, "the sync engine is pointed at ClassLink through configuration");
        assertEquals("classlink", integrations.selected().orElseThrow());
        assertNull(store.patron(kid1).orElseThrow().get(PatronField.GUID));
        assertNull(store.site("LIN").orElseThrow().providerId());

        store.saveSite(new Site("LIN", "Lincoln", "cl-school")); // the admin maps the site to ClassLink's school
        Operation relink = sync(classlink());
        assertEquals(OperationStatus.COMPLETED, relink.status(), relink.message());
        assertEquals(3, store.search(PatronQuery.all(0, 10)).total(), "the same patrons, no duplicates");
        assertEquals(kid1, byGuid("classlink:tenant-7", "cl-1").id(), "re-linked by email");
        List<LogEntry> log = store.log(relink.id(), LogQuery.all(0, 10)).items();
        assertTrue(log.stream().allMatch(e -> e.situation() == Situation.UNLINKED && "email".equals(e.key())), log.toString());
    }

    @Test
    void aSwitchIsRefusedWhileARunIsHeldAndForUnknownProviders() {
        store.createOperation("clever:d1", OperationKind.FULL, Trigger.MANUAL, false, Set.of(), 0);
        SyncException busy = assertThrows(SyncException.class, () -> integrations.begin("classlink", "Begin"));
        assertTrue(busy.getMessage().contains("is queued"), busy.getMessage());
        SyncException unknown = assertThrows(SyncException.class, () -> integrations.plan("powerschool"));
        assertTrue(unknown.getMessage().contains("no powerschool connector is installed"), unknown.getMessage());
    }
}
