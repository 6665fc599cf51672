package org.rollbook.store.derby.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.derby.jdbc.EmbeddedDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollbook.api.patron.Patron;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronStatus;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.patron.Site;
import org.rollbook.api.store.BatchResult;
import org.rollbook.api.store.KeyLookup;
import org.rollbook.api.store.PatronBatch;
import org.rollbook.api.store.PatronKeys;
import org.rollbook.api.store.PatronQuery;
import org.rollbook.api.store.PatronWrite;
import org.rollbook.api.store.ResultPage;
import org.rollbook.api.store.StoreException;

class DerbyPatronStoreTest {

    static final String CLEVER = "clever:district-1";

    @TempDir
    Path dir;

    DerbyPatronStore store;

    @BeforeEach
    void open() {
        store = new DerbyPatronStore(dir.resolve("data"), 1000);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static PatronWrite student(String guid, String first, String last, String email) {
        Map<PatronField, String> v = new java.util.EnumMap<>(PatronField.class);
        v.put(PatronField.GUID, guid);
        v.put(PatronField.FIRST_NAME, first);
        v.put(PatronField.LAST_NAME, last);
        v.put(PatronField.EMAIL, email);
        return PatronWrite.create(PatronType.STUDENT, "Student", CLEVER, v);
    }

    long create(PatronWrite w) {
        return store.write(new PatronBatch(1, List.of(w))).patronIds().get(0);
    }

    @Test
    void migratesAnEmptyDirectoryToTheCurrentSchema() {
        assertTrue(store.status().open());
        assertEquals(Database.SCHEMA_VERSION, store.status().schemaVersion());
        assertEquals(0, store.status().patrons());
        assertTrue(Files.isDirectory(dir.resolve("data/patrons")));
        assertTrue(Files.exists(dir.resolve("data/derby.log")), "Derby's log lives with the data");
    }

    @Test
    void dataSurvivesARestartOfTheEngine() {
        long id = create(student("g1", "Ada", "Lovelace", "ada@example.org"));
        store.saveSite(new Site("MAIN", "Main Library", "school-1"));
        store.close();
        store = new DerbyPatronStore(dir.resolve("data"), 1000);
        assertEquals("Ada", store.patron(id).orElseThrow().get(PatronField.FIRST_NAME));
        assertEquals("school-1", store.site("MAIN").orElseThrow().providerId());
        long next = create(student("g2", "Alan", "Turing", null));
        assertTrue(next > id, "ids keep growing after a restart");
    }

    @Test
    void refusesADatabaseFromANewerRollbook() throws Exception {
        store.close();
        Path db = dir.resolve("data/patrons");
        Connection c = new EmbeddedDriver().connect("jdbc:derby:" + db, new Properties());
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version VALUES (99, 'from the future', CURRENT_TIMESTAMP)");
        }
        c.close();
        try {
            new EmbeddedDriver().connect("jdbc:derby:;shutdown=true", new Properties());
        } catch (java.sql.SQLException expected) {
            // engine shut down
        }
        StoreException e = assertThrows(StoreException.class, () -> new DerbyPatronStore(dir.resolve("data"), 1000));
        assertTrue(e.getMessage().contains("schema version 99, newer than"), e.getMessage());
        store = new DerbyPatronStore(dir.resolve("other"), 1000); // for @AfterEach
    }

    @Test
    void refusesADamagedDatabaseInOneLine() throws Exception {
        store.close();
        Path seg = dir.resolve("data/patrons/seg0");
        try (var files = Files.list(seg)) {
            for (Path p : files.toList()) {
                Files.write(p, new byte[] {1, 2, 3});
            }
        }
        StoreException e = assertThrows(StoreException.class, () -> new DerbyPatronStore(dir.resolve("data"), 1000));
        assertTrue(e.getMessage().startsWith("cannot open the database"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        store = new DerbyPatronStore(dir.resolve("other"), 1000);
    }

    @Test
    void refusesADataDirectoryItCannotCreate() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        StoreException e = assertThrows(StoreException.class, () -> new DerbyPatronStore(file.resolve("data"), 1000));
        assertTrue(e.getMessage().startsWith("cannot create the data directory"), e.getMessage());
    }

    String digest(long id) {
        List<PatronKeys> k = store.findByKeys(new KeyLookup(CLEVER).guid(store.patron(id).orElseThrow().get(PatronField.GUID)));
        return k.get(0).rosterDigest();
    }

    @Test
    void theRosterDigestIsKeptWithASyncWriteAndForgottenByAnyOtherWrite() {
        long id = create(student("g1", "Ada", "Lovelace", null).withRosterDigest("d1"));
        assertEquals("d1", digest(id));
        store.write(new PatronBatch(1, List.of(PatronWrite.update(id, CLEVER, Map.of(PatronField.LAST_NAME, "Byron"))
                .withRosterDigest("d2"))));
        assertEquals("d2", digest(id));
        store.write(new PatronBatch(1, List.of(PatronWrite.update(id, null, Map.of(PatronField.FIRST_NAME, "Augusta")))));
        assertNull(digest(id), "a write without a digest: the patron may no longer agree with the roster");

        store.write(new PatronBatch(1, List.of(PatronWrite.update(id, CLEVER, Map.of(PatronField.FIRST_NAME, "Ada"))
                .withRosterDigest("d3"))));
        store.clearIntegration(CLEVER);
        store.write(new PatronBatch(1, List.of(PatronWrite.update(id, CLEVER, Map.of(PatronField.GUID, "g1")))));
        assertNull(digest(id), "unlinking forgets it too");
    }

    @Test
    void barcodeIsUniqueAmongPatrons() {
        Map<PatronField, String> v = Map.of(PatronField.BARCODE, "B-1", PatronField.LAST_NAME, "One");
        create(PatronWrite.create(PatronType.STUDENT, null, null, v));
        StoreException e = assertThrows(StoreException.class,
                () -> create(PatronWrite.create(PatronType.TEACHER, null, null, v)));
        assertTrue(e.getMessage().contains("barcode already belongs to another patron"), e.getMessage());
    }

    @Test
    void guidIsUniquePerIntegration() {
        create(student("same", "A", "A", null));
        assertThrows(StoreException.class, () -> create(student("same", "B", "B", null)));
        Map<PatronField, String> v = Map.of(PatronField.GUID, "same", PatronField.LAST_NAME, "C");
        long other = create(PatronWrite.create(PatronType.STUDENT, null, "classlink:tenant-9", v));
        assertEquals("classlink:tenant-9", store.patron(other).orElseThrow().integration());
    }

    @Test
    void blankKeysAreStoredAsNothingAndNeverMatch() {
        Map<PatronField, String> blanks = Map.of(PatronField.BARCODE, "  ", PatronField.EMAIL, "",
                PatronField.COMMUNITY_ID, " ", PatronField.LAST_NAME, "Blank");
        long a = create(PatronWrite.create(PatronType.STUDENT, null, null, blanks));
        long b = create(PatronWrite.create(PatronType.STUDENT, null, null, blanks)); // no unique clash on blanks
        assertTrue(a != b);
        Patron p = store.patron(a).orElseThrow();
        assertFalse(p.fields().containsKey(PatronField.BARCODE));
        assertFalse(p.fields().containsKey(PatronField.EMAIL));
        KeyLookup lookup = new KeyLookup(CLEVER).barcode(" ").email("").communityId(null).guid("\t");
        assertTrue(lookup.isEmpty());
        assertEquals(List.of(), store.findByKeys(lookup));
    }

    @Test
    void emailsMatchTrimmedAndCaseInsensitively() {
        long id = create(student("g1", "Ada", "Lovelace", "  Ada.Lovelace@Example.ORG "));
        assertEquals("Ada.Lovelace@Example.ORG", store.patron(id).orElseThrow().get(PatronField.EMAIL));
        List<PatronKeys> found = store.findByKeys(new KeyLookup(CLEVER).email("ada.lovelace@example.org  "));
        assertEquals(1, found.size());
        assertEquals(id, found.get(0).id());
        assertEquals("ada.lovelace@example.org", found.get(0).email());
    }

    @Test
    void guidMatchesOnlyWithinItsIntegration() {
        create(student("g1", "Ada", "Lovelace", null));
        assertEquals(1, store.findByKeys(new KeyLookup(CLEVER).guid("g1")).size());
        assertEquals(0, store.findByKeys(new KeyLookup("classlink:t").guid("g1")).size());
    }

    @Test
    void tenThousandRowsGoInAndUpdateInOneBatchEach() {
        List<PatronWrite> creates = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            creates.add(student("guid-" + i, "First" + i, "Last" + i, "s" + i + "@example.org"));
        }
        BatchResult created = store.write(new PatronBatch(7, creates));
        assertEquals(10_000, created.patronIds().size());
        assertEquals(10_000, store.status().patrons());

        KeyLookup all = new KeyLookup(CLEVER);
        for (int i = 0; i < 10_000; i++) {
            all.guid("guid-" + i);
        }
        List<PatronKeys> keys = store.findByKeys(all);
        assertEquals(10_000, keys.size());

        List<PatronWrite> updates = new ArrayList<>();
        for (PatronKeys k : keys) {
            updates.add(PatronWrite.update(k.id(), CLEVER, Map.of(PatronField.LEVEL, "05")));
        }
        store.write(new PatronBatch(8, updates));
        List<Patron> sample = store.patrons(created.patronIds().subList(0, 300));
        assertEquals(300, sample.size());
        assertTrue(sample.stream().allMatch(p -> "05".equals(p.get(PatronField.LEVEL))));
    }

    @Test
    void aFailingBatchWritesNothing() {
        create(student("taken", "A", "A", null));
        List<PatronWrite> batch = List.of(student("fresh-1", "B", "B", null), student("taken", "C", "C", null));
        StoreException e = assertThrows(StoreException.class, () -> store.write(new PatronBatch(2, batch)));
        assertTrue(e.getMessage().startsWith("new student taken"), e.getMessage());
        assertEquals(1, store.status().patrons());
        assertEquals(0, store.findByKeys(new KeyLookup(CLEVER).guid("fresh-1")).size());
    }

    @Test
    void provenanceRecordsTheOperationThatLastWroteEachField() {
        long id = store.write(new PatronBatch(11, List.of(student("g1", "Ada", "Lovelace", "ada@x.org"))))
                .patronIds().get(0);
        store.write(new PatronBatch(12, List.of(PatronWrite.update(id, CLEVER,
                Map.of(PatronField.LAST_NAME, "King", PatronField.STATUS, "4")))));
        java.util.HashMap<PatronField, String> erase = new java.util.HashMap<>();
        erase.put(PatronField.EMAIL, null);
        store.write(new PatronBatch(13, List.of(PatronWrite.update(id, CLEVER, erase))));

        Patron p = store.patron(id).orElseThrow();
        assertEquals(11L, p.provenance().get(PatronField.FIRST_NAME));
        assertEquals(12L, p.provenance().get(PatronField.LAST_NAME));
        assertEquals(12L, p.provenance().get(PatronField.STATUS));
        assertFalse(p.provenance().containsKey(PatronField.EMAIL), "an erased field has no provenance");
        assertFalse(p.fields().containsKey(PatronField.EMAIL));
        assertEquals(PatronStatus.TRANSFERRED, p.status());
        assertEquals("King", p.get(PatronField.LAST_NAME));
        assertEquals("Ada", p.get(PatronField.FIRST_NAME), "fields not written are left as they were");
    }

    @Test
    void unlinkingClearsTheIntegration() {
        long id = create(student("g1", "Ada", "Lovelace", null));
        java.util.HashMap<PatronField, String> unlink = new java.util.HashMap<>();
        unlink.put(PatronField.GUID, null);
        store.write(new PatronBatch(3, List.of(PatronWrite.update(id, CLEVER, unlink))));
        Patron p = store.patron(id).orElseThrow();
        assertEquals(null, p.integration());
        assertEquals(null, p.get(PatronField.GUID));
    }

    @Test
    void badValuesAreRefusedWithTheRecordNamed() {
        Map<PatronField, String> v = Map.of(PatronField.GUID, "g9", PatronField.BIRTHDATE, "3/14/2010");
        StoreException e = assertThrows(StoreException.class,
                () -> create(PatronWrite.create(PatronType.STUDENT, null, CLEVER, v)));
        assertEquals("new student g9: birthdate '3/14/2010' is not an ISO date (YYYY-MM-DD)", e.getMessage());
        assertThrows(StoreException.class, () -> store.write(new PatronBatch(1,
                List.of(PatronWrite.update(999_999, CLEVER, Map.of(PatronField.LEVEL, "1"))))));
    }

    @Test
    void searchFindsByNamePrefixEmailBarcodeAndGuidAndPages() {
        List<PatronWrite> ws = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ws.add(student("guid-" + i, "Kid" + i, i < 20 ? "Garcia" : "Zhou", "kid" + i + "@school.org"));
        }
        ws.add(PatronWrite.create(PatronType.TEACHER, null, null,
                Map.of(PatronField.LAST_NAME, "O'Brien_%", PatronField.BARCODE, "T100")));
        store.write(new PatronBatch(1, ws));

        ResultPage<Patron> garcia = store.search(new PatronQuery("gar", null, null, 0, 5));
        assertEquals(20, garcia.total());
        assertEquals(5, garcia.items().size());
        ResultPage<Patron> page4 = store.search(new PatronQuery("gar", null, null, 15, 5));
        Set<Long> firstIds = garcia.items().stream().map(Patron::id).collect(Collectors.toSet());
        assertTrue(page4.items().stream().noneMatch(p -> firstIds.contains(p.id())));

        assertEquals(1, store.search(new PatronQuery("KID7@school.org", null, null, 0, 10)).total());
        assertEquals(1, store.search(new PatronQuery("T100", null, null, 0, 10)).total());
        assertEquals(1, store.search(new PatronQuery("guid-29", null, null, 0, 10)).total());
        assertEquals(1, store.search(new PatronQuery("o'brien_%", null, null, 0, 10)).total());
        assertEquals(0, store.search(new PatronQuery("o'brien__", null, null, 0, 10)).total(), "LIKE wildcards are literal");
        assertEquals(1, store.search(new PatronQuery(null, PatronType.TEACHER, null, 0, 10)).total());
        ResultPage<Patron> countOnly = store.search(new PatronQuery(null, PatronType.TEACHER, null, 0, 0));
        assertEquals(1, countOnly.total());
        assertEquals(List.of(), countOnly.items(), "a limit of 0 asks for the total only");
        assertEquals(31, store.search(PatronQuery.all(0, 10)).total());
    }

    @Test
    void localFieldsAreKeptApartFromSyncedFields() {
        long id = create(student("g1", "Ada", "Lovelace", null));
        store.setLocalFields(id, Map.of("notes", "Has overdue books", "preferredName", "Addie"));
        store.write(new PatronBatch(2, List.of(PatronWrite.update(id, CLEVER, Map.of(PatronField.FIRST_NAME, "Augusta")))));
        Patron p = store.patron(id).orElseThrow();
        assertEquals("Addie", p.localFields().get("preferredName"));
        assertEquals("Augusta", p.get(PatronField.FIRST_NAME));
        assertThrows(StoreException.class, () -> store.setLocalFields(424242, Map.of("notes", "x")));
    }

    @Test
    void sitesCanBeCreatedMappedAndDeleted() {
        store.saveSite(new Site("EAST", "East Elementary", null));
        store.saveSite(new Site("WEST", "West Middle", "sch-2"));
        assertEquals(List.of("EAST", "WEST"), store.sites().stream().map(Site::code).toList());
        store.saveSite(new Site("EAST", "East Elementary", "sch-1"));
        assertEquals("sch-1", store.site("EAST").orElseThrow().providerId());
        StoreException e = assertThrows(StoreException.class, () -> store.saveSite(new Site("EAST", "East", "sch-2")));
        assertTrue(e.getMessage().contains("already mapped"), e.getMessage());
        assertTrue(store.deleteSite("WEST"));
        assertFalse(store.deleteSite("WEST"));
        assertEquals(1, store.status().sites());
    }

    @Test
    void clearingAnIntegrationUnlinksItsPatronsUnmapsSitesAndDropsItsStateTogether() {
        long linked = create(student("g1", "Ada", "Lovelace", "ada@x.org"));
        long other = create(PatronWrite.create(PatronType.STUDENT, null, "classlink:t", Map.of(PatronField.GUID, "c1")));
        store.saveSite(new Site("EAST", "East", "school-1"));
        store.setState(CLEVER, "cursor", "abc");
        org.rollbook.api.store.IntegrationFootprint f = store.footprint(CLEVER);
        assertEquals(new org.rollbook.api.store.IntegrationFootprint(CLEVER, 1, 1, 1), f);
        assertEquals(f, store.clearIntegration(CLEVER));
        Patron p = store.patron(linked).orElseThrow();
        assertEquals(null, p.get(PatronField.GUID));
        assertEquals(null, p.integration());
        assertEquals("Ada", p.get(PatronField.FIRST_NAME), "the patron stays");
        assertEquals("c1", store.patron(other).orElseThrow().get(PatronField.GUID), "other integrations untouched");
        assertEquals(null, store.site("EAST").orElseThrow().providerId());
        assertTrue(store.state(CLEVER, "cursor").isEmpty());
        assertEquals(new org.rollbook.api.store.IntegrationFootprint(CLEVER, 0, 0, 0), store.footprint(CLEVER));
    }
}
