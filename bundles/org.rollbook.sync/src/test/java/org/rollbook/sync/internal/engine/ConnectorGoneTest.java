package org.rollbook.sync.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rollbook.sync.internal.engine.FakeConnector.student;
import static org.rollbook.sync.internal.engine.FakeConnector.with;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronStatus;
import org.rollbook.api.roster.FetchReport;
import org.rollbook.api.roster.FetchRequest;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterSink;
import org.rollbook.api.sync.LogQuery;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.Trigger;

/**
 * A connector bundle updated or uninstalled while a sync reads from it (SPEC §6): the run fails, names the
 * connector, writes nothing and marks nobody absent; the next run uses the replacement.
 */
class ConnectorGoneTest {

    static final String OLD = "org.rollbook.connector.clever 0.1.0";
    static final String NEW = "org.rollbook.connector.clever 0.1.1";

    @TempDir
    Path dir;

    EngineFixture f;

    @BeforeEach
    void open() {
        f = new EngineFixture(dir);
        for (int i = 0; i < 10; i++) {
            f.roster.add(student("s" + i, "Kid", "No" + i, "kid" + i + "@east.example", "school-east"));
        }
        Operation first = f.full();
        assertEquals(OperationStatus.COMPLETED, first.status(), first.message());
        assertEquals(10, f.count());
    }

    @AfterEach
    void close() {
        f.close();
    }

    /** What the swapped-out connector does once its bundle is gone. */
    enum Afterwards {
        /** keeps going and claims a complete roster (the old object still works) */
        CLAIMS_COMPLETE,
        /** notices the sink says stop and returns an incomplete report */
        STOPS,
        /** cannot load a class of its uninstalled bundle */
        LINKAGE_ERROR
    }

    /** Delivers the first records, then its bundle goes away (it is "unregistered"), then behaves as told. */
    final class Vanishing extends TestConnector {
        final AtomicBoolean unregistered = new AtomicBoolean();
        final Afterwards afterwards;
        final List<RosterRecord> records;
        boolean sawStop;

        Vanishing(Afterwards afterwards, List<RosterRecord> records) {
            super("district-1");
            this.afterwards = afterwards;
            this.records = records;
        }

        @Override
        public FetchReport fetch(FetchRequest request, RosterSink sink) {
            long n = 0;
            for (RosterRecord r : records) {
                if (n == 3) {
                    unregistered.set(true);
                    if (afterwards == Afterwards.LINKAGE_ERROR) {
                        throw new NoClassDefFoundError("org/rollbook/connector/clever/internal/CleverUsers$Page");
                    }
                }
                if (sink.cancelled()) {
                    sawStop = true;
                    if (afterwards == Afterwards.STOPS) {
                        return FetchReport.incomplete("cancelled", null, n);
                    }
                }
                sink.accept(r);
                n++;
            }
            return FetchReport.complete("event-9", n);
        }

        ConnectorInUse inUse() {
            return new ConnectorInUse(this, OLD, unregistered::get);
        }
    }

    /** Only the first five students, one of them renamed: applied, it would rename one and transfer five. */
    List<RosterRecord> partialAndChanged() {
        List<RosterRecord> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RosterRecord r = f.roster.roster.get("s" + i);
            out.add(i == 4 ? with(r, "name.last", "Renamed") : r);
        }
        return out;
    }

    Operation runWith(ConnectorInUse connector) {
        Operation op = f.operations.createOperation(EngineFixture.INTEGRATION, OperationKind.FULL, Trigger.MANUAL, false,
                Set.of(), 0);
        return f.engine.run(op, connector, f.settings, () -> false);
    }

    void assertNothingWritten(Operation op) throws Exception {
        assertEquals(OperationStatus.FAILED, op.status(), op.message());
        assertTrue(op.message().startsWith("the connector " + OLD + " went away while the roster was being read"),
                op.message());
        assertTrue(op.message().contains("Nothing was written and nobody was marked Transferred"), op.message());
        assertEquals(10, f.count());
        for (int i = 0; i < 10; i++) {
            assertEquals(PatronStatus.ACTIVE, f.byGuid("s" + i).status(), "s" + i + " is not marked absent");
        }
        assertEquals("No4", f.byGuid("s4").get(PatronField.LAST_NAME), "no update was applied");
        assertEquals(0, f.operations.log(op.id(), LogQuery.all(0, 10)).total(), "no log lines");
        assertEquals("event-1", f.operations.state(EngineFixture.INTEGRATION, SyncEngine.CURSOR).orElseThrow(),
                "the cursor stays where the last good run left it");
        try (var plans = Files.list(dir.resolve("data/operations"))) {
            assertEquals(List.of(), plans.toList(), "no plan is left behind");
        }
    }

    @Test
    void aConnectorThatGoesAwayButClaimsACompleteRosterFailsTheRun() throws Exception {
        Vanishing old = new Vanishing(Afterwards.CLAIMS_COMPLETE, partialAndChanged());
        assertNothingWritten(runWith(old.inUse()));
        assertTrue(old.sawStop, "the sink told the connector to stop reading");
    }

    @Test
    void aConnectorThatStopsWhenToldFailsTheRunInsteadOfApplyingAPartialRoster() throws Exception {
        Vanishing old = new Vanishing(Afterwards.STOPS, partialAndChanged());
        assertNothingWritten(runWith(old.inUse()));
    }

    @Test
    void aConnectorWhoseClassesAreGoneFailsTheRunCleanly() throws Exception {
        assertNothingWritten(runWith(new Vanishing(Afterwards.LINKAGE_ERROR, partialAndChanged()).inUse()));
    }

    @Test
    void theNextRunUsesTheReplacementAndNamesIt() throws Exception {
        assertNothingWritten(runWith(new Vanishing(Afterwards.CLAIMS_COMPLETE, partialAndChanged()).inUse()));
        f.roster.add(with(f.roster.roster.get("s4"), "name.last", "Renamed"));
        Operation next = runWith(new ConnectorInUse(f.roster, NEW, () -> false));
        assertEquals(OperationStatus.COMPLETED, next.status(), next.message());
        assertTrue(next.message().endsWith(" Connector: " + NEW + "."), next.message());
        assertEquals("Renamed", f.byGuid("s4").get(PatronField.LAST_NAME));
        assertEquals(10, f.count());
    }

    @Test
    void aConnectorThatStaysIsNotAffected() {
        Operation op = runWith(new ConnectorInUse(f.roster, OLD, () -> false));
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        assertFalse(op.message().contains("went away"), op.message());
    }
}
