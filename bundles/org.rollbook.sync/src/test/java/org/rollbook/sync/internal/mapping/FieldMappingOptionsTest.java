package org.rollbook.sync.internal.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rollbook.api.patron.PatronField.BARCODE;
import static org.rollbook.api.patron.PatronField.COMMUNITY_ID;
import static org.rollbook.api.patron.PatronField.EMAIL;
import static org.rollbook.api.patron.PatronField.GUID;
import static org.rollbook.api.patron.PatronField.LAST_NAME;
import static org.rollbook.api.patron.PatronField.LOCATION;
import static org.rollbook.api.patron.PatronField.MIDDLE_NAME;
import static org.rollbook.api.patron.PatronField.SITE;
import static org.rollbook.api.patron.PatronField.STATUS;
import static org.rollbook.api.patron.PatronType.DISTRICT_ADMIN;
import static org.rollbook.api.patron.PatronType.STAFF;
import static org.rollbook.api.patron.PatronType.STUDENT;
import static org.rollbook.api.patron.PatronType.TEACHER;
import static org.rollbook.sync.internal.mapping.RosterRecords.active;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;

/** The integration's choices (SPEC §4.3): optional fields, match keys, erasable fields, and bad choices. */
class FieldMappingOptionsTest {

    private static MappingOptions barcode(PatronType type, String source) {
        return new MappingOptions(Map.of(type, source), Map.of(), Map.of(), Map.of());
    }

    private static MappingOptions communityId(PatronType type, String source) {
        return new MappingOptions(Map.of(), Map.of(type, source), Map.of(), Map.of());
    }

    private static MappingOptions location(PatronType type, String source) {
        return new MappingOptions(Map.of(), Map.of(), Map.of(type, source), Map.of());
    }

    private static String rejection(String provider, MappingOptions options) {
        return assertThrows(IllegalArgumentException.class, () -> FieldMapping.forProvider(provider, options)).getMessage();
    }

    @Test
    void barcodeAndCommunityIdAreNeitherOwnedNorKeysUnlessMapped() {
        for (String provider : new String[] { "clever", "classlink" }) {
            FieldMapping m = FieldMapping.forProvider(provider, MappingOptions.defaults());
            for (PatronType type : PatronType.values()) {
                assertTrue(m.mapsKey(type, GUID), provider + " " + type);
                assertTrue(m.mapsKey(type, EMAIL), provider + " " + type);
                assertFalse(m.mapsKey(type, BARCODE), provider + " " + type);
                assertFalse(m.mapsKey(type, COMMUNITY_ID), provider + " " + type);
                assertFalse(m.owned(type).contains(BARCODE));
                assertFalse(m.owned(type).contains(COMMUNITY_ID));
            }
        }
    }

    @Test
    void mappedBarcodeIsOwnedAndAKeyForThatTypeOnly() {
        FieldMapping m = FieldMapping.forProvider("clever", barcode(STUDENT, "student_number"));
        assertTrue(m.mapsKey(STUDENT, BARCODE));
        assertTrue(m.owned(STUDENT).contains(BARCODE));
        assertFalse(m.mapsKey(STUDENT, COMMUNITY_ID));
        assertFalse(m.mapsKey(TEACHER, BARCODE));
        assertFalse(m.owned(TEACHER).contains(BARCODE));
        assertEquals("1001", m.map(active("s", STUDENT, "roles.student.student_number", "1001",
                "roles.student.sis_id", "2002")).get(BARCODE));
    }

    @Test
    void mappedCommunityIdIsOwnedAndAKey() {
        FieldMapping m = FieldMapping.forProvider("clever", communityId(TEACHER, "SIS_ID"));
        assertTrue(m.mapsKey(TEACHER, COMMUNITY_ID));
        assertEquals("77", m.map(active("t", TEACHER, "roles.teacher.sis_id", "77",
                "roles.teacher.teacher_number", "532771")).get(COMMUNITY_ID));
    }

    @Test
    void staffIdIsTheStaffChoice() {
        FieldMapping m = FieldMapping.forProvider("clever", barcode(STAFF, "staff_id"));
        assertEquals("S-1234", m.map(active("x", STAFF, "roles.staff.staff_id", "S-1234")).get(BARCODE));
    }

    @Test
    void onlyGuidEmailBarcodeAndCommunityIdAreKeys() {
        FieldMapping m = FieldMapping.forProvider("classlink", new MappingOptions(Map.of(STUDENT, "identifier"),
                Map.of(STUDENT, "username"), Map.of(STUDENT, "code"), Map.of()));
        for (PatronField f : PatronField.values()) {
            boolean key = f == GUID || f == EMAIL || f == BARCODE || f == COMMUNITY_ID;
            assertEquals(key, m.mapsKey(STUDENT, f), f.name());
        }
        assertTrue(m.owned(STUDENT).contains(LOCATION));
        assertFalse(m.mapsKey(STUDENT, LOCATION));
    }

    @Test
    void ownedNeverHoldsSiteOrStatus() {
        for (String provider : new String[] { "clever", "classlink" }) {
            FieldMapping m = FieldMapping.forProvider(provider, MappingOptions.defaults());
            for (PatronType type : PatronType.values()) {
                assertTrue(m.owned(type).contains(GUID));
                assertFalse(m.owned(type).contains(SITE));
                assertFalse(m.owned(type).contains(STATUS));
            }
        }
    }

    @Test
    void erasableIsTheChosenFieldsThatAreOwned() {
        Set<PatronField> asked = EnumSet.of(EMAIL, MIDDLE_NAME, SITE, STATUS, BARCODE, PatronField.PHONE, GUID);
        FieldMapping m = FieldMapping.forProvider("clever", new MappingOptions(Map.of(), Map.of(), Map.of(),
                Map.of(STUDENT, asked, STAFF, asked)));

        assertEquals(EnumSet.of(EMAIL, MIDDLE_NAME), m.map(active("s", STUDENT)).erasable());
        assertEquals(EnumSet.of(EMAIL), m.map(active("x", STAFF)).erasable(), "Clever staff have no middle name mapped");
        assertEquals(Set.of(), m.map(active("t", TEACHER)).erasable());
    }

    @Test
    void erasableOptionalFieldNeedsItsMapping() {
        FieldMapping m = FieldMapping.forProvider("clever", new MappingOptions(Map.of(STUDENT, "sis_id"), Map.of(),
                Map.of(), Map.of(STUDENT, Set.of(BARCODE, COMMUNITY_ID, LAST_NAME))));
        assertEquals(EnumSet.of(BARCODE, LAST_NAME), m.map(active("s", STUDENT)).erasable());
    }

    @Test
    void blankChoiceMeansNotMapped() {
        FieldMapping m = FieldMapping.forProvider("clever", barcode(STUDENT, " "));
        assertFalse(m.mapsKey(STUDENT, BARCODE));
    }

    @Test
    void choiceOfAnotherTypeIsRejectedNamingTheChoices() {
        assertEquals("teacher barcode source 'student_number' is not one of teacher_number, sis_id, state_id",
                rejection("clever", barcode(TEACHER, "student_number")));
        assertEquals("student community ID source 'teacher_number' is not one of student_number, sis_id, state_id",
                rejection("clever", communityId(STUDENT, "teacher_number")));
        assertEquals("staff barcode source 'sis_id' is not one of staff_id", rejection("clever", barcode(STAFF, "sis_id")));
    }

    @Test
    void districtAdminHasNoCleverBarcodeSource() {
        assertEquals("district_admin barcode source 'staff_id' is not available: clever offers no barcode source"
                + " for district_admin records", rejection("clever", barcode(DISTRICT_ADMIN, "staff_id")));
    }

    @Test
    void cleverHasNoLocation() {
        assertEquals("student location source 'code' is not available: clever offers no location source"
                + " for student records", rejection("clever", location(STUDENT, "code")));
    }

    @Test
    void unknownClassLinkChoicesAreRejected() {
        assertEquals("student barcode source 'student_number' is not one of identifier, username, userIds:<type>",
                rejection("classlink", barcode(STUDENT, "student_number")));
        assertEquals("teacher location source 'room' is not one of code, location, teacher",
                rejection("classlink", location(TEACHER, "room")));
        assertEquals("student barcode source 'userIds:' needs a value after the colon, as in userIds:<type>",
                rejection("classlink", barcode(STUDENT, "userIds:")));
    }

    @Test
    void unknownProviderIsRejected() {
        assertEquals("unknown roster provider 'powerschool': there is no field mapping for it",
                rejection("powerschool", MappingOptions.defaults()));
        assertEquals("'../clever' is not a roster provider name", rejection("../clever", MappingOptions.defaults()));
        assertEquals("no roster provider given", rejection(" ", MappingOptions.defaults()));
    }

    @Test
    void providerNameIgnoresCase() {
        FieldMapping m = FieldMapping.forProvider(" ClassLink ", MappingOptions.defaults());
        assertEquals("classlink", m.provider());
        assertEquals(EnumSet.allOf(PatronType.class), m.types());
    }
}
