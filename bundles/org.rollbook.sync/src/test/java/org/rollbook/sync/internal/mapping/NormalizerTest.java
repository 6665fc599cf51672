package org.rollbook.sync.internal.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rollbook.api.patron.PatronField;

class NormalizerTest {

    private final Normalizer clever = new Normalizer(List.of(DatePattern.MONTH_DAY_YEAR));
    private final Normalizer oneRoster = new Normalizer(List.of(DatePattern.ISO));
    private final List<String> notes = new ArrayList<>();

    @Test
    void everyValueIsTrimmedAndCaseIsKept() {
        assertEquals("Steve", clever.normalize(PatronField.FIRST_NAME, "  Steve\t", notes));
        assertEquals("Z.Steve@Example.NET", clever.normalize(PatronField.EMAIL, " Z.Steve@Example.NET ", notes));
        assertEquals("10459", clever.normalize(PatronField.POSTAL_CODE, "10459 ", notes));
        assertEquals("(718) 555-4567", oneRoster.normalize(PatronField.PHONE, " (718) 555-4567", notes));
        assertEquals("O'Brien-Smith", clever.normalize(PatronField.LAST_NAME, "O'Brien-Smith", notes));
        assertTrue(notes.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "\t\n", "\u2003" })
    void blankIsAbsent(String blank) {
        for (PatronField f : PatronField.values()) {
            assertNull(clever.normalize(f, blank, notes), f.name());
        }
        assertNull(clever.normalize(PatronField.LAST_NAME, null, notes));
        assertTrue(notes.isEmpty());
    }

    @ParameterizedTest(name = "Clever dob {0} -> {1}")
    @CsvSource({
            "3/7/2012, 2012-03-07",
            "03/07/2012, 2012-03-07",
            "12/31/2010, 2010-12-31",
            "2/29/2012, 2012-02-29",
            "' 2/11/2007 ', 2007-02-11" })
    void cleverDatesBecomeIso(String dob, String iso) {
        assertEquals(iso, clever.normalize(PatronField.BIRTHDATE, dob, notes));
        assertTrue(notes.isEmpty());
    }

    @ParameterizedTest(name = "OneRoster birthDate {0} -> {1}")
    @CsvSource({
            "2011-04-17, 2011-04-17",
            "2011-04-17T00:00:00.000Z, 2011-04-17",
            "2011-04-17T08:01:05Z, 2011-04-17",
            "2011-04-17 08:01:05, 2011-04-17",
            "2012-02-29, 2012-02-29" })
    void oneRosterDatesBecomeIso(String birthDate, String iso) {
        assertEquals(iso, oneRoster.normalize(PatronField.BIRTHDATE, birthDate, notes));
        assertTrue(notes.isEmpty());
    }

    @Test
    void impossibleDateIsLeftOutWithANote() {
        assertNull(clever.normalize(PatronField.BIRTHDATE, "2/30/2010", notes));
        assertEquals(List.of("birthdate '2/30/2010' is not a date; left out"), notes);
    }

    @ParameterizedTest
    @ValueSource(strings = { "13/1/2010", "0/5/2010", "2/29/2011", "3/7/12", "3-7-2012", "3/7/2012/1", "//2012",
            "a/b/cdef", "2012-03-07", "March 7, 2012", "3/7/20121", "3/123/2012", "2/3/0000" })
    void cleverDateThatIsNotADateIsLeftOut(String dob) {
        assertNull(clever.normalize(PatronField.BIRTHDATE, dob, notes));
        assertEquals(List.of("birthdate '" + dob + "' is not a date; left out"), notes);
    }

    @ParameterizedTest
    @ValueSource(strings = { "2011-02-29", "2011-4-17", "2011-13-01", "11-04-17", "2011-04-17X", "2011/04/17",
            "3/7/2012", "0000-00-00" })
    void oneRosterDateThatIsNotADateIsLeftOut(String birthDate) {
        assertNull(oneRoster.normalize(PatronField.BIRTHDATE, birthDate, notes));
        assertEquals(1, notes.size());
    }

    @Test
    void aProviderMayAcceptSeveralDateFormatsInOrder() {
        Normalizer both = new Normalizer(List.of(DatePattern.ISO, DatePattern.MONTH_DAY_YEAR));
        assertEquals("2012-03-07", both.normalize(PatronField.BIRTHDATE, "2012-03-07", notes));
        assertEquals("2012-03-07", both.normalize(PatronField.BIRTHDATE, "3/7/2012", notes));
        assertTrue(notes.isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new Normalizer(List.of()));
    }

    @ParameterizedTest(name = "sex {0} -> {1}")
    @CsvSource({ "M, M", "m, M", "F, F", "f, F", "X, X", "x, X", "male, M", "Male, M", "MALE, M", "female, F",
            "Female, F", "' F ', F" })
    void knownSexValuesBecomeMOrFOrX(String sex, String stored) {
        assertEquals(stored, oneRoster.normalize(PatronField.SEX, sex, notes));
        assertTrue(notes.isEmpty());
    }

    @ParameterizedTest(name = "sex {0} -> X with a note")
    @ValueSource(strings = { "U", "other", "unspecified", "unknown", "N", "ext:nonbinary", "Mal" })
    void anyOtherSexIsKeptAsXWithANote(String sex) {
        assertEquals("X", oneRoster.normalize(PatronField.SEX, sex, notes));
        assertEquals(List.of("sex '" + sex + "' kept as X"), notes);
    }

    @ParameterizedTest(name = "grade {0} -> level {1}")
    @CsvSource({
            "1, 1", "01, 1", "06, 6", "9, 9", "09, 9", "10, 10", "12, 12",
            "Kindergarten, K", "KG, K", "K, K", "kindergarten, K", "kg, K",
            "PreKindergarten, PK", "PK, PK",
            "TransitionalKindergarten, TK", "TK, TK",
            "InfantToddler, IT", "IT, IT",
            "Preschool, PS", "PR, PS", "PS, PS",
            "PostGraduate, PG", "13, PG", "PG, PG",
            "Ungraded, UG", "UG, UG",
            "Other, Other", "other, Other",
            "' 07 ', 7",
            "'09,10,11', 9" })
    void gradesBecomeCanonicalLevels(String grade, String level) {
        assertEquals(level, clever.normalize(PatronField.LEVEL, grade, notes));
        assertTrue(notes.isEmpty(), notes::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = { "Year 7", "0", "00", "14", "001", "Grade 5" })
    void unknownGradeIsKeptWithANote(String grade) {
        assertEquals(grade, clever.normalize(PatronField.LEVEL, grade, notes));
        assertEquals(List.of("grade '" + grade + "' is not a known grade; kept as sent"), notes);
    }

    @Test
    void overLongNameIsCutWithANote() {
        String longName = "A".repeat(300);
        assertEquals("A".repeat(255), clever.normalize(PatronField.LAST_NAME, longName, notes));
        assertEquals(List.of("last name is 300 characters, more than the 255 the store keeps; cut to 255"), notes);
    }

    @ParameterizedTest(name = "{0} is cut at {1}")
    @CsvSource({ "FIRST_NAME, 255", "MIDDLE_NAME, 255", "LAST_NAME, 255", "EMAIL, 320", "ADDRESS, 500", "CITY, 255",
            "STATE, 100", "POSTAL_CODE, 40", "PHONE, 100", "USERNAME, 255", "LOCATION, 255",
            "BARCODE, 255", "COMMUNITY_ID, 255", "ADDITIONAL_CONTACT, 2000", "OTHER_EMAILS, 2000" })
    void everyTextFieldIsCutAtTheStoresLimit(PatronField field, int max) {
        assertEquals(max, Normalizer.maxLength(field));
        assertEquals("x".repeat(max), clever.normalize(field, "x".repeat(max), notes));
        assertTrue(notes.isEmpty());
        assertEquals("x".repeat(max), clever.normalize(field, "x".repeat(max + 1), notes));
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).startsWith(Normalizer.noteName(field) + " is " + (max + 1) + " characters"), notes::toString);
    }

    @Test
    void overLongUnknownGradeIsKeptCut() {
        assertEquals(40, Normalizer.maxLength(PatronField.LEVEL));
        String grade = "Grade " + "9".repeat(40);
        assertEquals(grade.substring(0, 40), clever.normalize(PatronField.LEVEL, grade, notes));
        assertEquals(List.of("grade '" + grade + "' is not a known grade; kept as sent",
                "level is 46 characters, more than the 40 the store keeps; cut to 40"), notes);
    }

    @Test
    void listFieldsAreCutBetweenEntries() {
        String entry = "guardian" + "x".repeat(90) + "@example.org"; // 110 characters
        String joined = String.join("; ", java.util.Collections.nCopies(20, entry)); // 20 * 110 + 19 * 2
        String kept = clever.normalize(PatronField.OTHER_EMAILS, joined, notes);
        assertEquals(String.join("; ", java.util.Collections.nCopies(17, entry)), kept);
        assertEquals(List.of("other emails is 2238 characters, more than the 2000 the store keeps; cut to 1902"), notes);
    }

    @Test
    void cuttingNeverSplitsACharacterOutsideTheBasicPlane() {
        String name = "a".repeat(254) + "\uD83D\uDE00" + "b";
        String kept = clever.normalize(PatronField.FIRST_NAME, name, notes);
        assertEquals("a".repeat(254), kept);
    }

    @Test
    void guidIsTrimmedButNeverCut() {
        assertEquals("7_1553", clever.normalize(PatronField.GUID, " 7_1553 ", notes));
        String longId = "i".repeat(300);
        assertEquals(longId, clever.normalize(PatronField.GUID, longId, notes));
        assertTrue(notes.isEmpty());
    }

    @Test
    void notesNameFieldsAsTheyReadInASentence() {
        assertEquals("first name", Normalizer.noteName(PatronField.FIRST_NAME));
        assertEquals("community ID", Normalizer.noteName(PatronField.COMMUNITY_ID));
        assertEquals("GUID", Normalizer.noteName(PatronField.GUID));
    }
}
