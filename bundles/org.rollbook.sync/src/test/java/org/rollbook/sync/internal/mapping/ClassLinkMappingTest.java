package org.rollbook.sync.internal.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rollbook.api.patron.PatronField.ADDITIONAL_CONTACT;
import static org.rollbook.api.patron.PatronField.BARCODE;
import static org.rollbook.api.patron.PatronField.BIRTHDATE;
import static org.rollbook.api.patron.PatronField.COMMUNITY_ID;
import static org.rollbook.api.patron.PatronField.EMAIL;
import static org.rollbook.api.patron.PatronField.FIRST_NAME;
import static org.rollbook.api.patron.PatronField.GUID;
import static org.rollbook.api.patron.PatronField.LAST_NAME;
import static org.rollbook.api.patron.PatronField.LEVEL;
import static org.rollbook.api.patron.PatronField.LOCATION;
import static org.rollbook.api.patron.PatronField.MIDDLE_NAME;
import static org.rollbook.api.patron.PatronField.OTHER_EMAILS;
import static org.rollbook.api.patron.PatronField.PHONE;
import static org.rollbook.api.patron.PatronField.SEX;
import static org.rollbook.api.patron.PatronField.USERNAME;
import static org.rollbook.sync.internal.mapping.RosterRecords.active;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.rollbook.api.patron.PatronType;

/** ClassLink OneRoster users (plus what the connector derives) through the mapping (SPEC §3.2). */
class ClassLinkMappingTest {

    private final FieldMapping defaults = FieldMapping.forProvider("classlink", MappingOptions.defaults());

    private static FieldMapping with(String barcode, String communityId, String location) {
        return FieldMapping.forProvider("classlink", new MappingOptions(
                barcode == null ? Map.of() : Map.of(PatronType.STUDENT, barcode),
                communityId == null ? Map.of() : Map.of(PatronType.STUDENT, communityId),
                location == null ? Map.of() : Map.of(PatronType.STUDENT, location), Map.of()));
    }

    /** Brandon, 1.2-style: primaryOrg beside orgs, two userIds, demographics, three agents (one unresolved), homeroom. */
    private static final String[] BRANDON = {
            "sourcedId", "22156", "status", "active", "username", "brandon.example",
            "userIds[0].type", "FED", "userIds[0].identifier", "22156",
            "userIds[1].type", "LDAP", "userIds[1].identifier", "bexample",
            "enabledUser", "true", "givenName", "BRANDON", "middleName", "PATRICK", "familyName", "EXAMPLE",
            "role", "student", "identifier", "19791", "email", "brandon.example@district.k12.nj.us",
            "phone", "555-0100",
            "orgs[0].href", "https://example/orgs/3", "orgs[0].sourcedId", "3", "orgs[0].type", "org",
            "primaryOrg.sourcedId", "7", "grades[0]", "06",
            "agents[0].sourcedId", "P-1001", "agents[0].givenName", "Ann", "agents[0].familyName", "Example",
            "agents[0].email", "ann@example.org",
            "agents[1].sourcedId", "P-1002",
            "agents[2].sourcedId", "P-1003", "agents[2].givenName", "Bob", "agents[2].familyName", "Example",
            "agents[2].email", "bob@example.org",
            "demographics.birthDate", "2011-04-17", "demographics.sex", "female",
            "homeroom.classCode", "HR6B", "homeroom.location", "Room 12", "homeroom.teacher", "Robin Plant" };

    @Test
    void studentWithDemographicsAgentsHomeroomAndUserIdsBarcode() {
        FieldMapping mapping = with("userIds:LDAP", "identifier", "location");
        MappedRecord m = mapping.map(active("22156", PatronType.STUDENT, BRANDON));

        assertEquals(Map.ofEntries(
                Map.entry(GUID, "22156"), Map.entry(BARCODE, "bexample"), Map.entry(COMMUNITY_ID, "19791"),
                Map.entry(FIRST_NAME, "BRANDON"), Map.entry(MIDDLE_NAME, "PATRICK"), Map.entry(LAST_NAME, "EXAMPLE"),
                Map.entry(BIRTHDATE, "2011-04-17"), Map.entry(SEX, "F"), Map.entry(PHONE, "555-0100"),
                Map.entry(EMAIL, "brandon.example@district.k12.nj.us"),
                Map.entry(ADDITIONAL_CONTACT, "Ann Example; Bob Example"),
                Map.entry(OTHER_EMAILS, "ann@example.org; bob@example.org"),
                Map.entry(LOCATION, "Room 12"), Map.entry(LEVEL, "6"), Map.entry(USERNAME, "brandon.example")),
                m.values());
        assertEquals("7", m.schoolId(), "primaryOrg wins over orgs[0]");
        assertEquals(List.of(), m.notes());
        assertEquals(EnumSet.of(GUID, BARCODE, COMMUNITY_ID, FIRST_NAME, MIDDLE_NAME, LAST_NAME, BIRTHDATE, SEX,
                PHONE, EMAIL, ADDITIONAL_CONTACT, OTHER_EMAILS, LOCATION, LEVEL, USERNAME), m.owned());
    }

    @Test
    void firstOrgIsTheSchoolWithoutPrimaryOrg() {
        MappedRecord m = defaults.map(active("22157", PatronType.STUDENT, "givenName", "Cara",
                "orgs[0].sourcedId", "3", "orgs[1].sourcedId", "4"));
        assertEquals("3", m.schoolId());
    }

    @Test
    void everyTypeTakesItsSchoolFromTheOrgs() {
        for (PatronType type : PatronType.values()) {
            MappedRecord m = defaults.map(active("u-" + type, type, "familyName", "Doe", "orgs[0].sourcedId", "3"));
            assertEquals("3", m.schoolId(), type.code());
            assertNull(m.invalid());
        }
    }

    @Test
    void userIdsTypeIsMatchedIgnoringCase() {
        assertEquals("22156", with("userids:fed", null, null).map(active("22156", PatronType.STUDENT, BRANDON)).get(BARCODE));
    }

    @Test
    void userIdsTypeTheUserDoesNotHaveLeavesTheBarcodeAbsent() {
        MappedRecord m = with("userIds:SIS", null, null).map(active("22156", PatronType.STUDENT, BRANDON));
        assertNull(m.get(BARCODE));
        assertTrue(m.owned().contains(BARCODE));
        assertEquals(List.of(), m.notes());
    }

    @Test
    void usernameAsCommunityId() {
        assertEquals("brandon.example",
                with(null, "username", null).map(active("22156", PatronType.STUDENT, BRANDON)).get(COMMUNITY_ID));
    }

    @Test
    void homeroomClassCodeOrTeacherAsLocation() {
        assertEquals("HR6B", with(null, null, "code").map(active("22156", PatronType.STUDENT, BRANDON)).get(LOCATION));
        assertEquals("Robin Plant",
                with(null, null, "teacher").map(active("22156", PatronType.STUDENT, BRANDON)).get(LOCATION));
    }

    @Test
    void locationIsNotMappedByDefault() {
        MappedRecord m = defaults.map(active("22156", PatronType.STUDENT, BRANDON));
        assertNull(m.get(LOCATION));
        assertNull(m.get(BARCODE));
        assertNull(m.get(COMMUNITY_ID));
        assertFalse(m.owned().contains(LOCATION));
    }

    @Test
    void birthDateWithATimePartKeepsTheDate() {
        MappedRecord m = defaults.map(active("1", PatronType.STUDENT, "demographics.birthDate", "2011-04-17T00:00:00.000Z"));
        assertEquals("2011-04-17", m.get(BIRTHDATE));
    }

    @Test
    void unspecifiedSexIsKeptAsXWithANote() {
        MappedRecord m = defaults.map(active("1", PatronType.STUDENT, "demographics.sex", "unspecified"));
        assertEquals("X", m.get(SEX));
        assertEquals(List.of("sex 'unspecified' kept as X"), m.notes());
    }

    @Test
    void singleLetterSexIsAccepted() {
        assertEquals("M", defaults.map(active("1", PatronType.STUDENT, "demographics.sex", "M")).get(SEX));
    }

    @Test
    void gradesAsABareStringAreRead() {
        assertEquals("K", defaults.map(active("1", PatronType.STUDENT, "grades", "KG")).get(LEVEL));
        assertEquals("PS", defaults.map(active("1", PatronType.STUDENT, "grades[0]", "PR")).get(LEVEL));
    }

    @Test
    void teacherWithoutDemographicsOrAgentsStillOwnsThoseFields() {
        MappedRecord m = defaults.map(active("T-77", PatronType.TEACHER, "givenName", "Robin", "familyName", "Plant",
                "email", "robin@example.org", "role", "teacher", "orgs[0].sourcedId", "3", "agents", "x"));
        assertEquals(Map.of(GUID, "T-77", FIRST_NAME, "Robin", LAST_NAME, "Plant", EMAIL, "robin@example.org"), m.values());
        assertTrue(m.owned().containsAll(EnumSet.of(BIRTHDATE, SEX, ADDITIONAL_CONTACT, OTHER_EMAILS)));
    }

    @Test
    void agentWithOnlyAFamilyNameAndRepeatedEmailsJoinOnce() {
        MappedRecord m = defaults.map(active("1", PatronType.STUDENT,
                "agents[0].sourcedId", "P-1", "agents[0].familyName", "Aaron Berge", "agents[0].email", "home@example.org",
                "agents[1].sourcedId", "P-2", "agents[1].givenName", "Cleo", "agents[1].familyName", "Berge",
                "agents[1].email", " home@example.org "));
        assertEquals("Aaron Berge; Cleo Berge", m.get(ADDITIONAL_CONTACT));
        assertEquals("home@example.org", m.get(OTHER_EMAILS));
    }

    @Test
    void agentsAreReadAcrossMissingElements() {
        MappedRecord m = defaults.map(active("1", PatronType.STUDENT,
                "agents[0].givenName", "Ann", "agents[1].email", "b@example.org",
                "agents[3].givenName", "Dan", "agents[3].familyName", "Doe",
                "agentsFormer[7].email", "not-an-agent@example.org", "agents", "not a list element"));
        assertEquals("Ann; Dan Doe", m.get(ADDITIONAL_CONTACT));
        assertEquals("b@example.org", m.get(OTHER_EMAILS));
    }

    @Test
    void manyAgentsAreAllRead() {
        String[] values = new String[40 * 4];
        for (int i = 0; i < 40; i++) {
            values[i * 4] = "agents[" + i + "].sourcedId";
            values[i * 4 + 1] = "P-" + i;
            values[i * 4 + 2] = "agents[" + i + "].email";
            values[i * 4 + 3] = "g" + i + "@example.org";
        }
        String emails = defaults.map(active("1", PatronType.STUDENT, values)).get(OTHER_EMAILS);
        assertTrue(emails.startsWith("g0@example.org; g1@example.org") && emails.endsWith("; g39@example.org"), emails);
    }

    @Test
    void tooManyAgentsAreCutBetweenEntriesWithANote() {
        String[] values = new String[200 * 2];
        for (int i = 0; i < 200; i++) {
            values[i * 2] = "agents[" + i + "].email";
            values[i * 2 + 1] = "guardian-number-" + i + "@example.org";
        }
        MappedRecord m = defaults.map(active("1", PatronType.STUDENT, values));
        String emails = m.get(OTHER_EMAILS);
        assertTrue(emails.length() <= 2000 && emails.endsWith(".org"), emails);
        assertEquals(1, m.notes().size());
        assertTrue(m.notes().get(0).startsWith("other emails is "), m.notes()::toString);
    }
}
