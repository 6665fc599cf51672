package org.rollbook.sync.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rollbook.sync.internal.engine.FakeConnector.deleted;
import static org.rollbook.sync.internal.engine.FakeConnector.student;
import static org.rollbook.sync.internal.engine.FakeConnector.teacher;
import static org.rollbook.sync.internal.engine.FakeConnector.with;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollbook.api.patron.Patron;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronStatus;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.patron.Site;
import org.rollbook.api.store.PatronBatch;
import org.rollbook.api.store.KeyLookup;
import org.rollbook.api.store.PatronStore;
import org.rollbook.api.store.PatronWrite;
import org.rollbook.api.sync.Count;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.LogQuery;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.OperationStatus;
import org.rollbook.api.sync.Outcome;
import org.rollbook.api.sync.Situation;
import org.rollbook.api.sync.Trigger;
import org.rollbook.sync.internal.mapping.MappingOptions;

/** The sync rules of SPEC §4 and §5, each as a small named scenario against the real Derby store. */
class SyncEngineTest {

    @TempDir
    Path dir;

    EngineFixture f;

    @BeforeEach
    void open() {
        f = new EngineFixture(dir);
    }

    @AfterEach
    void close() {
        f.close();
    }

    List<LogEntry> log(Operation op) {
        return f.operations.log(op.id(), LogQuery.all(0, 1000)).items();
    }

    LogEntry logFor(Operation op, String guid) {
        return log(op).stream().filter(e -> guid.equals(e.sourceId())).findFirst()
                .orElseThrow(() -> new AssertionError("no log line for " + guid + " in " + log(op)));
    }

    long counted(Operation op, Situation situation, Outcome outcome) {
        return f.operations.operation(op.id()).orElseThrow().counts().stream()
                .filter(c -> c.situation() == situation && c.outcome() == outcome).mapToLong(Count::records).sum();
    }

    @Test
    void firstFullSyncCreatesPatronsWithMappedFieldsSiteAndStatus() {
        f.roster.add(student("s1", "Ada", "Lovelace", "ada@east.example", "school-east"),
                teacher("t1", "Alan", "Turing", "alan@west.example", "school-west"));
        Operation op = f.full();
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        Patron ada = f.byGuid("s1");
        assertEquals("Ada", ada.get(PatronField.FIRST_NAME));
        assertEquals("EAST", ada.get(PatronField.SITE));
        assertEquals("5", ada.get(PatronField.LEVEL));
        assertEquals(PatronStatus.ACTIVE, ada.status());
        assertEquals("Student", ada.policy());
        assertEquals(EngineFixture.INTEGRATION, ada.integration());
        assertEquals(op.id(), ada.provenance().get(PatronField.FIRST_NAME));
        assertEquals(PatronType.TEACHER, f.byGuid("t1").type());
        assertEquals(2, counted(op, Situation.UNMATCHED, Outcome.CREATED));
        assertEquals(Outcome.CREATED, logFor(op, "s1").outcome());
        assertEquals("event-1", f.operations.state(EngineFixture.INTEGRATION, SyncEngine.CURSOR).orElseThrow());
    }

    @Test
    void aSecondSyncOfTheSameRosterChangesNothing() {
        f.roster.add(student("s1", "Ada", "Lovelace", "ada@east.example", "school-east"));
        f.full();
        Patron before = f.byGuid("s1");
        Operation again = f.full();
        assertEquals(1, counted(again, Situation.LINKED, Outcome.UNCHANGED));
        assertEquals(List.of(), log(again), "unchanged linked records are counted, not logged");
        assertEquals(before.updated(), f.byGuid("s1").updated(), "no write");
    }

    /**
     * The engine over the fixture's store, counting the patrons whose whole record it reads ({@code read[0]})
     * and, when there is room for it, the GUIDs it looks up ({@code read[1]}).
     */
    SyncEngine counting(long[] read) {
        PatronStore spy = (PatronStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PatronStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("patrons")) {
                        read[0] += ((java.util.Collection<?>) args[0]).size();
                    }
                    if (method.getName().equals("findByKeys") && read.length > 1) {
                        read[1] += ((KeyLookup) args[0]).guids().size();
                    }
                    try {
                        return method.invoke(f.patrons, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new SyncEngine(spy, f.operations, dir.resolve("data/operations"));
    }

    Operation full(SyncEngine engine) {
        Operation op = f.operations.createOperation(EngineFixture.INTEGRATION, OperationKind.FULL, Trigger.MANUAL, false,
                Set.of(), 0);
        return engine.run(op, f.roster, f.settings, () -> false);
    }

    @Test
    void aReSyncReadsOnlyThePatronsWhoseRecordChangedSinceTheLastSync() {
        f.roster.add(student("s1", "Ada", "Lovelace", "ada@east.example", "school-east"),
                student("s2", "Alan", "Turing", null, "school-west"), teacher("t1", "Grace", "Hopper", null, "school-east"));
        f.full();
        long[] read = {0, 0};
        SyncEngine engine = counting(read);
        Operation again = full(engine);
        assertEquals(3, counted(again, Situation.LINKED, Outcome.UNCHANGED));
        assertEquals(0, read[0], "unchanged records are known by their digest");
        assertEquals(0, read[1], "a full run knows them before the roster is read: no GUID is looked up");

        f.roster.add(student("s2", "Alan", "Turing-Smith", null, "school-west"));
        Operation changed = full(engine);
        assertEquals(1, counted(changed, Situation.LINKED, Outcome.UPDATED));
        assertEquals(2, counted(changed, Situation.LINKED, Outcome.UNCHANGED));
        assertEquals(2, read[0], "only the changed record's patron is read: by the planner, then by the apply's recheck");
        assertEquals(1, read[1], "only the changed record's GUID is looked up");
        assertEquals("Turing-Smith", f.byGuid("s2").get(PatronField.LAST_NAME));
    }

    /** The engine over the fixture's store, counting the calls of each store method by name. */
    SyncEngine countingCalls(Map<String, Integer> calls) {
        PatronStore spy = (PatronStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PatronStore.class}, (proxy, method, args) -> {
                    calls.merge(method.getName(), 1, Integer::sum);
                    try {
                        return method.invoke(f.patrons, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new SyncEngine(spy, f.operations, dir.resolve("data/operations"));
    }

    @Test
    void theFirstSyncOfAnEmptyStoreIsOneLoadThatUndoesLikeAnyRun() {
        f.roster.add(student("s1", "Ada", "Lovelace", "ada@east.example", "school-east"),
                student("s2", "Alan", "Turing", null, "school-west"), teacher("t1", "Grace", "Hopper", null, "school-east"));
        f.settings = f.settings.withBatchSize(2);
        Map<String, Integer> calls = new java.util.HashMap<>();
        Operation first = full(countingCalls(calls));
        assertEquals(OperationStatus.COMPLETED, first.status(), first.message());
        assertEquals(1, calls.get("load"), calls.toString());
        assertEquals(null, calls.get("write"), "nothing written batch by batch: " + calls);
        assertEquals(3, counted(first, Situation.UNMATCHED, Outcome.CREATED));
        assertEquals(3, f.count());
        assertEquals(first.id(), f.byGuid("t1").provenance().get(PatronField.LAST_NAME));
        assertEquals(List.of("s1", "s2", "t1"), log(first).stream().map(LogEntry::sourceId).toList());
        assertTrue(log(first).stream().allMatch(e -> f.patron(e.patronId()).get(PatronField.GUID).equals(e.sourceId())),
                "each line names the patron it created");
        assertEquals(first.expected(), f.operations.operation(first.id()).orElseThrow().processed());

        Operation undo = f.undo(first.id());
        assertEquals(OperationStatus.COMPLETED, undo.status(), undo.message());
        assertEquals(PatronStatus.TRANSFERRED, f.byGuid("s2").status());

        calls.clear();
        f.roster.add(student("s3", "Mary", "Somerville", null, "school-west"));
        Operation next = full(countingCalls(calls));
        assertEquals(1, counted(next, Situation.UNMATCHED, Outcome.CREATED), next.message());
        assertTrue(calls.get("load") == null || calls.get("load") == 1, calls.toString());
        assertTrue(calls.get("write") >= 1, "a store with patrons is written batch by batch: " + calls);
    }

    @Test
    void aPatronChangedOutsideTheSyncIsComparedInFullAgain() {
        f.roster.add(student("s1", "Ada", "Lovelace", "ada@east.example", "school-east"));
        f.full();
        long id = f.byGuid("s1").id();
        f.patrons.write(new PatronBatch(0, List.of(PatronWrite.update(id, null, Map.of(PatronField.LAST_NAME, "Edited")))));
        Operation again = f.full();
        assertEquals(1, counted(again, Situation.LINKED, Outcome.UPDATED), again.message());
        assertEquals("Lovelace", f.patron(id).get(PatronField.LAST_NAME), "the roster's value is back");

        Operation undo = f.undo(again.id());
        assertEquals(OperationStatus.COMPLETED, undo.status(), undo.message());
        assertEquals("Edited", f.patron(id).get(PatronField.LAST_NAME));
        f.full();
        assertEquals("Lovelace", f.patron(id).get(PatronField.LAST_NAME), "an undo is a change outside the sync too");
    }

    @Test
    void aSchoolMappedToAnotherSiteMovesItsPatronsOnTheNextSync() {
        f.roster.add(student("s1", "Ada", "Lovelace", null, "school-east"));
        f.full();
        f.patrons.saveSite(new Site("EAST", "East Elementary", null));
        f.patrons.saveSite(new Site("WEST", "West Middle", "school-east"));
        Operation again = f.full();
        assertEquals(1, counted(again, Situation.LINKED, Outcome.UPDATED), again.message());
        assertEquals("WEST", f.byGuid("s1").get(PatronField.SITE));
    }

    @Test
    void blankEmailNeverLinks() {
        long noEmail = f.existing("Ada", "Lovelace", null);
        f.roster.add(student("s1", "Ada", "Lovelace", "  ", "school-east"));
        Operation op = f.full();
        LogEntry e = logFor(op, "s1");
        assertEquals(Situation.UNMATCHED, e.situation());
        assertTrue(e.blankKeys().contains("email"), e.blankKeys().toString());
        assertNull(f.patron(noEmail).get(PatronField.GUID), "the patron without email stays unlinked");
        assertEquals(2, f.count());
    }

    @Test
    void emailLinksTrimmedAndCaseInsensitively() {
        long ada = f.existing("Ada", "Byron", "Ada@East.Example");
        f.roster.add(student("s1", "Ada", "Lovelace", " ada@east.example ", "school-east"));
        Operation op = f.full();
        LogEntry e = logFor(op, "s1");
        assertEquals(Situation.UNLINKED, e.situation());
        assertEquals("email", e.key());
        assertEquals(ada, e.patronId());
        Patron p = f.patron(ada);
        assertEquals("s1", p.get(PatronField.GUID));
        assertEquals("Lovelace", p.get(PatronField.LAST_NAME));
        assertEquals(1, f.count(), "linked, not duplicated");
    }

    @Test
    void twoPatronsSharingAnEmailAreDisputedAndBothUntouched() {
        long a = f.existing("Sam", "One", "family@home.example");
        long b = f.existing("Kim", "One", "family@home.example");
        f.roster.add(student("s1", "Sam", "Onesto", "family@home.example", "school-east"));
        Operation op = f.full();
        LogEntry e = logFor(op, "s1");
        assertEquals(Situation.DISPUTED, e.situation());
        assertEquals(Outcome.NONE, e.outcome());
        assertEquals(Set.of(a, b), Set.copyOf(e.candidates()));
        assertTrue(e.reason().contains("share email"), e.reason());
        assertEquals("One", f.patron(a).get(PatronField.LAST_NAME));
        assertNull(f.patron(a).get(PatronField.GUID));
        assertNull(f.patron(b).get(PatronField.GUID));
        assertEquals(2, f.count(), "nobody created either");
    }

    @Test
    void twoKeysPointingAtDifferentPatronsAreDisputed() {
        f.settings = f.settings.withMapping(new MappingOptions(Map.of(PatronType.STUDENT, "student_number"), Map.of(),
                Map.of(), Map.of()));
        long byBarcode = f.existing(PatronType.STUDENT, Map.of(PatronField.BARCODE, "1001", PatronField.LAST_NAME, "A"));
        long byEmail = f.existing("Zed", "B", "zed@east.example");
        f.roster.add(with(student("s1", "Zed", "B", "zed@east.example", "school-east"), "roles.student.student_number", "1001"));
        LogEntry e = logFor(f.full(), "s1");
        assertEquals(Situation.DISPUTED, e.situation());
        assertEquals(Set.of(byBarcode, byEmail), Set.copyOf(e.candidates()));
    }

    @Test
    void guidWinsOverEmail() {
        f.roster.add(student("s1", "Ada", "Lovelace", "ada@east.example", "school-east"));
        f.full();
        long other = f.existing("Ada", "Impostor", "ada2@east.example");
        f.roster.add(student("s1", "Ada", "Lovelace", "ada2@east.example", "school-east"));
        Operation op = f.full();
        LogEntry e = logFor(op, "s1");
        assertEquals(Situation.LINKED, e.situation());
        assertEquals("guid", e.key());
        assertEquals("ada2@east.example", f.byGuid("s1").get(PatronField.EMAIL));
        assertNull(f.patron(other).get(PatronField.GUID), "the other patron with that email is untouched");
    }

    @Test
    void barcodeIsNeitherWrittenNorMatchedUnlessMapped() {
        long local = f.existing(PatronType.STUDENT, Map.of(PatronField.BARCODE, "1001", PatronField.LAST_NAME, "Local"));
        f.roster.add(with(student("s1", "Ada", "Lovelace", null, "school-east"), "roles.student.student_number", "1001"));
        LogEntry e = logFor(f.full(), "s1");
        assertEquals(Situation.UNMATCHED, e.situation(), "barcode is not a key while unmapped");
        assertNull(f.byGuid("s1").get(PatronField.BARCODE));
        assertNull(f.patron(local).get(PatronField.GUID));
    }

    @Test
    void mappedBarcodeLinks() {
        f.settings = f.settings.withMapping(new MappingOptions(Map.of(PatronType.STUDENT, "student_number"), Map.of(),
                Map.of(), Map.of()));
        long local = f.existing(PatronType.STUDENT, Map.of(PatronField.BARCODE, "1001", PatronField.LAST_NAME, "Local"));
        f.roster.add(with(student("s1", "Ada", "Lovelace", null, "school-east"), "roles.student.student_number", "1001"));
        LogEntry e = logFor(f.full(), "s1");
        assertEquals(Situation.UNLINKED, e.situation());
        assertEquals("barcode", e.key());
        assertEquals("s1", f.patron(local).get(PatronField.GUID));
    }

    @Test
    void unmappedSchoolAndDisabledTypeAreSkippedWithAReason() {
        f.settings = f.settings.withTypes(Set.of(PatronType.STUDENT, PatronType.STAFF));
        f.roster.add(student("s1", "Ada", "Lovelace", null, "school-north"), teacher("t1", "Alan", "Turing", null, "school-east"));
        Operation op = f.run(org.rollbook.api.sync.OperationKind.FULL, false);
        LogEntry s = logFor(op, "s1");
        assertEquals(Situation.SKIPPED, s.situation());
        assertEquals("school school-north is not mapped to a site", s.reason());
        assertEquals(0, f.count());
        assertTrue(log(op).stream().noneMatch(e -> "t1".equals(e.sourceId())), "teachers are not even fetched");
    }

    @Test
    void unownedFieldsAreUntouchedAndBlankDoesNotErase() {
        f.roster.add(with(student("s1", "Ada", "Lovelace", "ada@east.example", "school-east"), "name.middle", "King"));
        f.full();
        Patron p = f.byGuid("s1");
        f.derby.setLocalFields(p.id(), Map.of("notes", "books overdue"));
        f.roster.add(with(student("s1", "Ada", "Lovelace", "ada@east.example", "school-east"), "name.middle", null));
        f.full();
        Patron after = f.byGuid("s1");
        assertEquals("King", after.get(PatronField.MIDDLE_NAME), "a blank does not erase");
        assertEquals("books overdue", after.localFields().get("notes"));
    }

    @Test
    void erasableFieldsAreErasedByABlank() {
        f.settings = f.settings.withMapping(new MappingOptions(Map.of(), Map.of(), Map.of(),
                Map.of(PatronType.STUDENT, Set.of(PatronField.MIDDLE_NAME))));
        f.roster.add(with(student("s1", "Ada", "Lovelace", "ada@east.example", "school-east"), "name.middle", "King"));
        f.full();
        f.roster.add(student("s1", "Ada", "Lovelace", "ada@east.example", "school-east"));
        Operation op = f.full();
        assertNull(f.byGuid("s1").get(PatronField.MIDDLE_NAME));
        assertEquals(List.of(new org.rollbook.api.sync.FieldChange(PatronField.MIDDLE_NAME, "King", null)),
                logFor(op, "s1").changes());
    }

    @Test
    void deletedRecordsAndAbsenceFromACompleteFullSyncTransferNeverDelete() {
        f.roster.add(student("s1", "Ada", "Lovelace", null, "school-east"), student("s2", "Alan", "Turing", null, "school-east"),
                student("s3", "Grace", "Hopper", null, "school-west"));
        f.full();
        f.roster.add(deleted(f.roster.roster.get("s1")));
        f.roster.roster.remove("s2");
        Operation op = f.full();
        assertEquals(PatronStatus.TRANSFERRED, f.byGuid("s1").status());
        assertEquals(PatronStatus.TRANSFERRED, f.byGuid("s2").status());
        assertEquals(PatronStatus.ACTIVE, f.byGuid("s3").status());
        assertEquals(Situation.ABSENT, logFor(op, "s2").situation());
        assertEquals(3, f.count(), "nobody is deleted");
        assertTrue(op.message().contains("2 transferred"), op.message());
    }

    @Test
    void aTransferredPatronWhoReturnsIsActiveAgain() {
        f.roster.add(student("s1", "Ada", "Lovelace", null, "school-east"));
        f.full();
        f.roster.roster.clear();
        f.full();
        assertEquals(PatronStatus.TRANSFERRED, f.byGuid("s1").status());
        f.roster.add(student("s1", "Ada", "Lovelace", null, "school-west"));
        Operation op = f.full();
        Patron p = f.byGuid("s1");
        assertEquals(PatronStatus.ACTIVE, p.status());
        assertEquals("WEST", p.get(PatronField.SITE));
        assertTrue(logFor(op, "s1").reason().contains("reactivated"));
    }

    @Test
    void aPartialFetchTransfersNobody() {
        f.roster.add(student("s1", "Ada", "Lovelace", null, "school-east"), student("s2", "Alan", "Turing", null, "school-east"));
        f.full();
        f.roster.failAfter = 1;
        Operation op = f.full();
        assertEquals(OperationStatus.COMPLETED, op.status());
        assertEquals(PatronStatus.ACTIVE, f.byGuid("s2").status(), "absent only because the fetch broke off");
        assertTrue(op.message().contains("nobody was marked Transferred"), op.message());
    }

    @Test
    void previewWritesNothingButReportsTheSame() {
        f.roster.add(student("s1", "Ada", "Lovelace", null, "school-east"), student("s2", "Alan", "Turing", null, "school-north"));
        Operation preview = f.preview();
        assertEquals(OperationStatus.COMPLETED, preview.status());
        assertTrue(preview.message().startsWith("preview, nothing was written"), preview.message());
        assertEquals(0, f.count());
        assertTrue(f.operations.state(EngineFixture.INTEGRATION, SyncEngine.CURSOR).isEmpty(), "no cursor either");
        Operation real = f.full();
        assertEquals(log(preview).stream().map(e -> e.situation() + "/" + e.outcome() + "/" + e.sourceId()).toList(),
                log(real).stream().map(e -> e.situation() + "/" + e.outcome() + "/" + e.sourceId()).toList());
        assertEquals(f.operations.operation(preview.id()).orElseThrow().counts(),
                f.operations.operation(real.id()).orElseThrow().counts());
    }

    @Test
    void overTheTransferThresholdIsHeldThenApprovedApplies() {
        for (int i = 0; i < 30; i++) {
            f.roster.add(student("s" + i, "Kid", "No" + i, null, "school-east"));
        }
        f.full();
        f.settings = f.settings.withHolds(Threshold.NONE, Threshold.parse("10%"), 5);
        for (int i = 0; i < 10; i++) {
            f.roster.roster.remove("s" + i);
        }
        Operation held = f.full();
        assertEquals(OperationStatus.HELD, held.status());
        assertTrue(held.message().contains("would transfer 10 patrons of 30"), held.message());
        assertEquals(PatronStatus.ACTIVE, f.byGuid("s0").status(), "nothing written while held");
        Operation applied = f.engine.approve(held, 1000, () -> false);
        assertEquals(OperationStatus.COMPLETED, applied.status(), applied.message());
        assertEquals(PatronStatus.TRANSFERRED, f.byGuid("s0").status());
        assertEquals(10, counted(applied, Situation.ABSENT, Outcome.UPDATED), "counts are what was committed");
    }

    @Test
    void aRejectedHeldRunWritesNothing() {
        f.settings = f.settings.withHolds(Threshold.parse("1"), Threshold.NONE, 1);
        f.roster.add(student("s1", "Ada", "Lovelace", null, "school-east"), student("s2", "Alan", "Turing", null, "school-east"));
        Operation held = f.full();
        assertEquals(OperationStatus.HELD, held.status(), held.message());
        Operation rejected = f.engine.reject(held);
        assertEquals(OperationStatus.CANCELLED, rejected.status());
        assertEquals(0, f.count());
        assertFalse(Files.exists(f.engine.spool(held.id()).file()), "the plan is discarded");
    }

    @Test
    void undoRestoresOldValuesLinksAndStatus() {
        long local = f.existing("Ada", "Byron", "ada@east.example");
        f.roster.add(student("s2", "Alan", "Turing", null, "school-east"));
        f.full();
        f.roster.add(student("s1", "Ada", "Lovelace", "ada@east.example", "school-east"), student("s3", "New", "Kid", null, "school-west"));
        f.roster.roster.remove("s2");
        Operation run = f.full();
        assertEquals("s1", f.patron(local).get(PatronField.GUID));
        long created = f.byGuid("s3").id();

        Operation undo = f.undo(run.id());
        assertEquals(OperationStatus.COMPLETED, undo.status(), undo.message());
        Patron restored = f.patron(local);
        assertEquals("Byron", restored.get(PatronField.LAST_NAME));
        assertNull(restored.get(PatronField.GUID), "the link is undone");
        assertNull(restored.integration());
        assertEquals(PatronStatus.ACTIVE, f.byGuid("s2").status(), "the transfer is undone");
        assertEquals(PatronStatus.TRANSFERRED, f.patron(created).status(), "created patrons are marked, never deleted");
    }

    @Test
    void anIncrementalSyncAppliesChangesSinceTheCursor() {
        f.roster.add(student("s1", "Ada", "Lovelace", null, "school-east"), student("s2", "Alan", "Turing", null, "school-east"));
        f.full();
        f.roster.changes.add(with(student("s1", "Ada", "King", null, "school-east"), "name.middle", "Augusta"));
        f.roster.changes.add(deleted(student("s2", "Alan", "Turing", null, "school-east")));
        f.roster.changes.add(student("s9", "New", "Kid", null, "school-west"));
        Operation op = f.incremental();
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        assertEquals("King", f.byGuid("s1").get(PatronField.LAST_NAME));
        assertEquals(PatronStatus.TRANSFERRED, f.byGuid("s2").status());
        assertEquals("WEST", f.byGuid("s9").get(PatronField.SITE));
        assertEquals("event-2", f.operations.state(EngineFixture.INTEGRATION, SyncEngine.CURSOR).orElseThrow());
    }

    @Test
    void aBarcodeHeldByAnotherPatronIsLeftWithANote() {
        f.settings = f.settings.withMapping(new MappingOptions(Map.of(PatronType.STUDENT, "student_number"), Map.of(),
                Map.of(), Map.of()));
        f.roster.add(with(student("s1", "Ada", "Lovelace", null, "school-east"), "roles.student.student_number", "B1"),
                with(student("s2", "Alan", "Turing", null, "school-east"), "roles.student.student_number", "B2"));
        f.full();
        f.roster.add(with(student("s1", "Ada", "Lovelace", null, "school-east"), "roles.student.student_number", "B2"));
        Operation op = f.full();
        assertEquals("B1", f.byGuid("s1").get(PatronField.BARCODE));
        assertTrue(logFor(op, "s1").reason().contains("barcode 'B2' belongs to another patron"), logFor(op, "s1").reason());
    }

    @Test
    void aWriteTheStoreRefusesFailsThatRecordOnly() {
        f.settings = f.settings.withMapping(new MappingOptions(Map.of(PatronType.STUDENT, "student_number"), Map.of(),
                Map.of(), Map.of())).withHolds(Threshold.parse("1"), Threshold.NONE, 1);
        f.roster.add(with(student("s1", "Ada", "Lovelace", null, "school-east"), "roles.student.student_number", "B1"),
                with(student("s2", "Alan", "Turing", null, "school-east"), "roles.student.student_number", "B2"));
        Operation held = f.full();
        assertEquals(OperationStatus.HELD, held.status());
        f.existing(PatronType.TEACHER, Map.of(PatronField.BARCODE, "B2", PatronField.LAST_NAME, "Meanwhile"));
        Operation op = f.engine.approve(held, 1000, () -> false);
        assertEquals(OperationStatus.COMPLETED, op.status(), op.message());
        assertEquals("Lovelace", f.byGuid("s1").get(PatronField.LAST_NAME));
        LogEntry failed = logFor(op, "s2");
        assertEquals(Outcome.FAILED, failed.outcome());
        assertTrue(failed.reason().contains("barcode already belongs to another patron"), failed.reason());
        assertEquals(1, counted(op, Situation.UNMATCHED, Outcome.FAILED));
        assertEquals(1, counted(op, Situation.UNMATCHED, Outcome.CREATED));
    }

    @Test
    void anIncrementalThatHadToReadEverythingCountsAsAFullSync() {
        f.roster.add(student("s1", "Ada", "Lovelace", null, "school-east"), student("s2", "Alan", "Turing", null, "school-east"));
        f.full();
        f.roster.roster.remove("s2");
        f.roster.fallBackToFull = "the events cursor is 40 days old";
        Operation op = f.incremental();
        assertEquals(OperationStatus.COMPLETED, op.status());
        assertEquals(PatronStatus.TRANSFERRED, f.byGuid("s2").status(), "absence applies: the whole roster was read");
        assertTrue(op.message().contains("the events cursor is 40 days old"), op.message());
    }
}
