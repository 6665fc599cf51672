package org.rollbook.sync.internal.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rollbook.sync.internal.mapping.RosterRecords.active;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronType;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The mapping data format (MAPPING.md): the shipped files, and what a broken file says. */
class MappingFileTest {

    private static MappingFile parse(String json) {
        try {
            return MappingFile.parse("test.json", "test", new ObjectMapper().readTree(json.replace('\'', '"')));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String broken(String json) {
        return assertThrows(IllegalStateException.class, () -> parse(json)).getMessage();
    }

    @Test
    void shippedFilesMapEveryRecordType() {
        for (String provider : List.of("clever", "classlink")) {
            MappingFile file = MappingFile.read(provider);
            assertEquals(provider, file.provider());
            assertEquals(Set.of(PatronType.values()), file.types().keySet(), provider);
        }
        assertEquals(List.of(DatePattern.MONTH_DAY_YEAR), MappingFile.read("clever").dateFormats());
        assertEquals(List.of(DatePattern.ISO), MappingFile.read("classlink").dateFormats());
    }

    @Test
    void classLinkTypesInheritCommon() {
        MappingFile file = MappingFile.read("classlink");
        Map<PatronField, ValueSource> student = file.types().get(PatronType.STUDENT).fields();
        for (PatronType type : PatronType.values()) {
            assertEquals(student, file.types().get(type).fields(), type.code());
        }
        assertTrue(student.get(PatronField.ADDITIONAL_CONTACT) instanceof ValueSource.Joined);
    }

    @Test
    void aTypeTheFileDoesNotListIsInvalid() {
        FieldMapping m = FieldMapping.of(parse("""
                {'provider': 'test', 'dateFormats': ['YYYY-MM-DD'],
                 'types': {'student': {'fields': {'1006': 'last'}, 'school': 'school'}}}"""), MappingOptions.defaults());
        MappedRecord staff = m.map(active("x", PatronType.STAFF, "last", "Doe"));
        assertEquals("test has no field mapping for staff records", staff.invalid());
        assertEquals(Set.of(), m.owned(PatronType.STAFF));
        assertEquals(Set.of(PatronType.STUDENT), m.types());
        assertNull(m.map(active("y", PatronType.STUDENT, "last", "Doe")).invalid());
        assertEquals("test maps no staff records, so staff barcode source 'id' cannot be used",
                assertThrows(IllegalArgumentException.class, () -> FieldMapping.of(parse("""
                        {'provider': 'test', 'dateFormats': ['YYYY-MM-DD'], 'types': {'student': {}}}"""),
                        new MappingOptions(Map.of(PatronType.STAFF, "id"), Map.of(), Map.of(), Map.of()))).getMessage());
    }

    @Test
    void aTypeReplacesOrRemovesCommonEntries() {
        MappingFile file = parse("""
                {'provider': 'test', 'dateFormats': ['M/D/YYYY'],
                 'common': {'fields': {'1007': 'first', '1006': 'last'}, 'school': 'org'},
                 'types': {'student': {}, 'teacher': {'fields': {'1007': 'given', '1006': null}, 'school': null}}}""");
        FieldMapping m = FieldMapping.of(file, MappingOptions.defaults());
        MappedRecord teacher = m.map(active("t", PatronType.TEACHER, "first", "A", "given", "B", "last", "C", "org", "3"));
        assertEquals(Map.of(PatronField.GUID, "t", PatronField.FIRST_NAME, "B"), teacher.values());
        assertNull(teacher.schoolId());
        MappedRecord student = m.map(active("s", PatronType.STUDENT, "first", "A", "last", "C", "org", "3"));
        assertEquals("3", student.schoolId());
        assertEquals("C", student.get(PatronField.LAST_NAME));
    }

    @Test
    void brokenFilesSayWhatAndWhere() {
        assertEquals("test.json: provider: must be 'test'", broken("{'provider': 'clever', 'dateFormats': ['M/D/YYYY'], 'types': {}}"));
        assertEquals("test.json: dateFormats: 'DD.MM.YYYY' is not M/D/YYYY or YYYY-MM-DD",
                broken("{'provider': 'test', 'dateFormats': ['DD.MM.YYYY'], 'types': {}}"));
        assertEquals("test.json: types.parent: is not a record type (student, teacher, staff, district_admin)",
                broken("{'provider': 'test', 'dateFormats': ['M/D/YYYY'], 'types': {'parent': {}}}"));
        assertEquals("test.json: types.student.fields.9999: '9999' is not a patron field number",
                broken("{'provider': 'test', 'dateFormats': ['M/D/YYYY'], 'types': {'student': {'fields': {'9999': 'x'}}}}"));
        assertEquals("test.json: types.student.fields.1050: 1050 (Site) cannot be mapped here: the sync engine sets it",
                broken("{'provider': 'test', 'dateFormats': ['M/D/YYYY'], 'types': {'student': {'fields': {'1050': 'x'}}}}"));
        assertEquals("test.json: types.student.fields.1000: 1000 (Barcode) cannot be mapped here: it is optional,"
                + " list its sources under 'choices'",
                broken("{'provider': 'test', 'dateFormats': ['M/D/YYYY'], 'types': {'student': {'fields': {'1000': 'x'}}}}"));
        assertEquals("test.json: types.student.choices.1007: 1007 (First name) is not an optional field (1000, 1001, 1004)",
                broken("{'provider': 'test', 'dateFormats': ['M/D/YYYY'], 'types': {'student': {'choices': {'1007': {}}}}}"));
        assertEquals("test.json: types.student: unknown entry 'feilds' (allowed: $comment, fields, school, choices)",
                broken("{'provider': 'test', 'dateFormats': ['M/D/YYYY'], 'types': {'student': {'feilds': {}}}}"));
        assertEquals("test.json: types.student.fields.1007: a source is a path, a list of sources, or an object with 'each'",
                broken("{'provider': 'test', 'dateFormats': ['M/D/YYYY'], 'types': {'student': {'fields': {'1007': 7}}}}"));
        assertEquals("test.json: types.student.fields.1054.join: the separator of the joined values is missing",
                broken("{'provider': 'test', 'dateFormats': ['M/D/YYYY'], 'types': {'student': {'fields':"
                        + " {'1054': {'each': 'agents', 'take': 'email'}}}}}"));
        assertEquals("test.json: types.student.choices.1000.ids:<kind>.equals: '<type>' is not a parameter of this choice",
                broken("{'provider': 'test', 'dateFormats': ['M/D/YYYY'], 'types': {'student': {'choices': {'1000':"
                        + " {'ids:<kind>': {'each': 'ids', 'where': 'type', 'equals': '<type>', 'take': 'id'}}}}}}"));
    }
}
