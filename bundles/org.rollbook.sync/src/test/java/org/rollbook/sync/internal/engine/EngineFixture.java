package org.rollbook.sync.internal.engine;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.rollbook.api.patron.Patron;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.patron.Site;
import org.rollbook.api.store.KeyLookup;
import org.rollbook.api.store.OperationStore;
import org.rollbook.api.store.PatronBatch;
import org.rollbook.api.store.PatronKeys;
import org.rollbook.api.store.PatronQuery;
import org.rollbook.api.store.PatronStore;
import org.rollbook.api.store.PatronWrite;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.Trigger;
import org.rollbook.store.derby.internal.DerbyPatronStore;

/** A real Derby store in a folder, a fake roster, and the engine between them. */
final class EngineFixture implements AutoCloseable {

    static final String INTEGRATION = "clever:district-1";

    final DerbyPatronStore derby;
    final PatronStore patrons;
    final OperationStore operations;
    final SyncEngine engine;
    final FakeConnector roster = new FakeConnector();
    RunSettings settings = RunSettings.defaults().withHolds(Threshold.NONE, Threshold.NONE, 20);

    EngineFixture(Path dir) {
        derby = DerbyPatronStore.open(dir.resolve("data"), 1000);
        patrons = derby;
        operations = derby;
        engine = new SyncEngine(patrons, operations, dir.resolve("data/operations"));
        patrons.saveSite(new Site("EAST", "East Elementary", "school-east"));
        patrons.saveSite(new Site("WEST", "West Middle", "school-west"));
    }

    Operation full() {
        return run(OperationKind.FULL, false);
    }

    Operation preview() {
        return run(OperationKind.FULL, true);
    }

    Operation incremental() {
        return run(OperationKind.INCREMENTAL, false);
    }

    Operation run(OperationKind kind, boolean preview) {
        Operation op = operations.createOperation(INTEGRATION, kind, Trigger.MANUAL, preview, Set.of(), 0);
        return engine.run(op, roster, settings, () -> false);
    }

    Operation undo(long target) {
        Operation op = operations.createOperation(INTEGRATION, OperationKind.UNDO, Trigger.MANUAL, false,
                Set.of(PatronType.values()), target);
        return engine.undo(op, settings.batchSize(), () -> false);
    }

    /** A patron the library had before any sync. */
    long existing(PatronType type, Map<PatronField, String> values) {
        return patrons.write(new PatronBatch(0, List.of(PatronWrite.create(type, "Local", null, values))))
                .patronIds().get(0);
    }

    long existing(String first, String last, String email) {
        Map<PatronField, String> v = new EnumMap<>(PatronField.class);
        v.put(PatronField.FIRST_NAME, first);
        v.put(PatronField.LAST_NAME, last);
        if (email != null) {
            v.put(PatronField.EMAIL, email);
        }
        return existing(PatronType.STUDENT, v);
    }

    Patron patron(long id) {
        return patrons.patron(id).orElseThrow();
    }

    Patron byGuid(String guid) {
        List<PatronKeys> keys = patrons.findByKeys(new KeyLookup(INTEGRATION).guid(guid));
        if (keys.size() != 1) {
            throw new AssertionError("expected one patron with GUID " + guid + ", found " + keys.size());
        }
        return patron(keys.get(0).id());
    }

    long count() {
        return patrons.search(PatronQuery.all(0, 1)).total();
    }

    @Override
    public void close() {
        derby.close();
    }
}
