package org.rollbook.sync.internal.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rollbook.api.patron.PatronField.ADDRESS;
import static org.rollbook.api.patron.PatronField.BARCODE;
import static org.rollbook.api.patron.PatronField.BIRTHDATE;
import static org.rollbook.api.patron.PatronField.CITY;
import static org.rollbook.api.patron.PatronField.COMMUNITY_ID;
import static org.rollbook.api.patron.PatronField.EMAIL;
import static org.rollbook.api.patron.PatronField.FIRST_NAME;
import static org.rollbook.api.patron.PatronField.GUID;
import static org.rollbook.api.patron.PatronField.LAST_NAME;
import static org.rollbook.api.patron.PatronField.LEVEL;
import static org.rollbook.api.patron.PatronField.MIDDLE_NAME;
import static org.rollbook.api.patron.PatronField.POSTAL_CODE;
import static org.rollbook.api.patron.PatronField.SEX;
import static org.rollbook.api.patron.PatronField.STATE;
import static org.rollbook.api.patron.PatronField.USERNAME;
import static org.rollbook.sync.internal.mapping.RosterRecords.active;
import static org.rollbook.sync.internal.mapping.RosterRecords.deleted;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;

/** Clever Data API v3.0 users through the default mapping (SPEC §3.1). */
class CleverMappingTest {

    private static final String SCHOOL = "58da8c58155b940248000007";

    private final FieldMapping clever = FieldMapping.forProvider("clever", MappingOptions.defaults());

    @Test
    void studentIsFullyMappedWithIsoBirthdateAndCanonicalGrade() {
        MappedRecord m = clever.map(active("58da8c63d7dc0ca0680003ed", PatronType.STUDENT,
                "name.first", "Steve", "name.middle", "G", "name.last", "Ziemann",
                "email", "z.steve@example.net",
                "roles.student.sis_id", "100095233", "roles.student.student_number", "100095234",
                "roles.student.state_id", "231786324",
                "roles.student.credentials.district_username", "stevez33",
                "roles.student.dob", "3/7/2012", "roles.student.gender", "M", "roles.student.grade", "Kindergarten",
                "roles.student.location.address", "110 Pineapple Street", "roles.student.location.city", "Brooklyn",
                "roles.student.location.state", "NY", "roles.student.location.zip", "10459",
                "roles.student.school", SCHOOL, "roles.student.schools[0]", SCHOOL,
                "roles.student.race", "Black or African American"));

        assertEquals(Map.ofEntries(
                Map.entry(GUID, "58da8c63d7dc0ca0680003ed"),
                Map.entry(FIRST_NAME, "Steve"), Map.entry(MIDDLE_NAME, "G"), Map.entry(LAST_NAME, "Ziemann"),
                Map.entry(BIRTHDATE, "2012-03-07"), Map.entry(SEX, "M"),
                Map.entry(ADDRESS, "110 Pineapple Street"), Map.entry(CITY, "Brooklyn"), Map.entry(STATE, "NY"),
                Map.entry(POSTAL_CODE, "10459"), Map.entry(EMAIL, "z.steve@example.net"),
                Map.entry(LEVEL, "K"), Map.entry(USERNAME, "stevez33")), m.values());
        assertEquals(SCHOOL, m.schoolId());
        assertEquals(List.of(), m.notes());
        assertNull(m.invalid());
        assertEquals(EnumSet.of(GUID, FIRST_NAME, MIDDLE_NAME, LAST_NAME, BIRTHDATE, SEX, ADDRESS, CITY, STATE,
                POSTAL_CODE, EMAIL, LEVEL, USERNAME), m.owned());
        assertEquals(Set.of(), m.erasable());
        assertEquals(PatronType.STUDENT, m.type());
        assertEquals("58da8c63d7dc0ca0680003ed", m.guid());
    }

    @Test
    void teacherGetsNamesEmailUsernameAndTheTeacherSchool() {
        MappedRecord m = clever.map(active("5faac8b7bc447500a10ae857", PatronType.TEACHER,
                "name.first", "Robin", "name.middle", "M", "name.last", "Plant", "email", "robin_plant@example.org",
                "roles.teacher.sis_id", "77", "roles.teacher.teacher_number", "532771",
                "roles.teacher.credentials.district_username", "plant_robin",
                "roles.teacher.school", SCHOOL, "roles.teacher.schools[0]", SCHOOL,
                "roles.staff.staff_id", "S-1234", "roles.staff.schools[0]", "other-school"));

        assertEquals(Map.of(GUID, "5faac8b7bc447500a10ae857", FIRST_NAME, "Robin", MIDDLE_NAME, "M",
                LAST_NAME, "Plant", EMAIL, "robin_plant@example.org", USERNAME, "plant_robin"), m.values());
        assertEquals(SCHOOL, m.schoolId());
        assertEquals(EnumSet.of(GUID, FIRST_NAME, MIDDLE_NAME, LAST_NAME, EMAIL, USERNAME), m.owned());
    }

    @Test
    void staffGetsFirstAndLastNameAndTheFirstOfItsSchools() {
        MappedRecord m = clever.map(active("5600a2281c29fa0001000002", PatronType.STAFF,
                "name.first", "Ada", "name.middle", "B", "name.last", "Lovelace", "email", "ada@example.org",
                "roles.staff.staff_id", "S-1234", "roles.staff.credentials.district_username", "alovelace",
                "roles.staff.schools[0]", "school-a", "roles.staff.schools[1]", "school-b"));

        assertEquals(Map.of(GUID, "5600a2281c29fa0001000002", FIRST_NAME, "Ada", LAST_NAME, "Lovelace",
                EMAIL, "ada@example.org"), m.values());
        assertEquals("school-a", m.schoolId());
        assertEquals(EnumSet.of(GUID, FIRST_NAME, LAST_NAME, EMAIL), m.owned());
    }

    @Test
    void districtAdminHasNoSchoolSoTheDefaultSiteApplies() {
        MappedRecord m = clever.map(active("603ebb2ab452fb006c7639ca", PatronType.DISTRICT_ADMIN,
                "name.first", "Vicky", "name.last", "E", "email", "admin@example.org",
                "roles.district_admin.title", "Superintendent",
                "roles.district_admin.legacy_id", "5a0c91b96296d60001fe053e"));

        assertEquals(Map.of(GUID, "603ebb2ab452fb006c7639ca", FIRST_NAME, "Vicky", LAST_NAME, "E",
                EMAIL, "admin@example.org"), m.values());
        assertNull(m.schoolId());
        assertNull(m.invalid());
        assertEquals(EnumSet.of(GUID, FIRST_NAME, LAST_NAME, EMAIL), m.owned());
    }

    @Test
    void studentWithoutSchoolHasNoSchoolId() {
        assertNull(clever.map(active("s-1", PatronType.STUDENT, "name.last", "Doe")).schoolId());
    }

    @Test
    void missingNamesAreFine() {
        MappedRecord m = clever.map(active("s-2", PatronType.STUDENT, "roles.student.school", SCHOOL));
        assertNull(m.invalid());
        assertEquals(Map.of(GUID, "s-2"), m.values());
        assertTrue(m.owned().contains(FIRST_NAME));
    }

    @Test
    void deletedUserIsStillMapped() {
        MappedRecord m = clever.map(deleted("s-3", PatronType.STUDENT, "name.first", "Gone",
                "roles.student.school", SCHOOL));
        assertTrue(m.deleted());
        assertEquals("Gone", m.get(FIRST_NAME));
        assertNull(m.invalid());
    }

    @Test
    void valuesAreTrimmedAndEmailKeepsItsCase() {
        MappedRecord m = clever.map(active("s-4", PatronType.STUDENT, "name.first", "  Mary Ann ",
                "email", " Mary.Ann@Example.org ", "roles.student.grade", " 04", "roles.student.school", " " + SCHOOL + " "));
        assertEquals("Mary Ann", m.get(FIRST_NAME));
        assertEquals("Mary.Ann@Example.org", m.get(EMAIL));
        assertEquals("4", m.get(LEVEL));
        assertEquals(SCHOOL, m.schoolId());
    }

    @Test
    void unknownGenderIsKeptAsXWithANote() {
        MappedRecord m = clever.map(active("s-5", PatronType.STUDENT, "roles.student.gender", "U"));
        assertEquals("X", m.get(SEX));
        assertEquals(List.of("sex 'U' kept as X"), m.notes());
    }

    @Test
    void impossibleDobIsLeftOutWithANote() {
        MappedRecord m = clever.map(active("s-6", PatronType.STUDENT, "name.last", "Doe", "roles.student.dob", "2/30/2010"));
        assertNull(m.get(BIRTHDATE));
        assertEquals(List.of("birthdate '2/30/2010' is not a date; left out"), m.notes());
        assertNull(m.invalid());
        assertTrue(m.owned().contains(BIRTHDATE));
    }

    @Test
    void overLongValueIsCutWithANote() {
        MappedRecord m = clever.map(active("s-7", PatronType.STUDENT, "name.last", "L".repeat(300),
                "roles.student.location.zip", "1".repeat(45)));
        assertEquals("L".repeat(255), m.get(LAST_NAME));
        assertEquals("1".repeat(40), m.get(POSTAL_CODE));
        assertEquals(List.of("last name is 300 characters, more than the 255 the store keeps; cut to 255",
                "postal code is 45 characters, more than the 40 the store keeps; cut to 40"), m.notes());
    }

    @Test
    void gradeThirteenIsPostGraduate() {
        assertEquals("PG", clever.map(active("s-8", PatronType.STUDENT, "roles.student.grade", "13")).get(LEVEL));
    }

    @Test
    void idLongerThanTheStoreKeepsMakesTheRecordInvalid() {
        MappedRecord m = clever.map(active("i".repeat(256), PatronType.STUDENT, "name.last", "Doe"));
        assertEquals("the provider's id is 256 characters, more than the 255 the store keeps", m.invalid());
        assertEquals(Map.of(), m.values());
    }

    @Test
    void barcodeAndCommunityIdAreNotMappedByDefault() {
        MappedRecord m = clever.map(active("s-9", PatronType.STUDENT, "roles.student.student_number", "1001",
                "roles.student.sis_id", "2002"));
        assertNull(m.get(BARCODE));
        assertNull(m.get(COMMUNITY_ID));
        for (PatronType type : PatronType.values()) {
            Set<PatronField> owned = clever.owned(type);
            assertTrue(!owned.contains(BARCODE) && !owned.contains(COMMUNITY_ID) && !owned.contains(PatronField.LOCATION),
                    type + " " + owned);
        }
    }
}
