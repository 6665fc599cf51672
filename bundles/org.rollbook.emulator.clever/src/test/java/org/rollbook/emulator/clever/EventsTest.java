package org.rollbook.emulator.clever;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventsTest {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T12:00:00Z"));
    CleverEmulator emu;

    @BeforeEach
    void start() throws Exception {
        emu = CleverEmulator.builder().seed(9).clock(clock).district(DistrictSpec.ofStudents(60)).build().start();
    }

    @AfterEach
    void stop() {
        emu.close();
    }

    @Test
    void noEventsUntilSomethingChanges() {
        JsonNode page = Http.ok(emu, "/v3.0/events");
        assertEquals(0, page.path("data").size());
        assertEquals("/v3.0/events", Http.link(page, "self"));
        assertNull(Http.link(page, "next"));
        assertEquals(0, Http.ok(emu, "/v3.0/events?ending_before=last&limit=1").path("data").size());
    }

    @Test
    void createdUpdatedDeletedInTheWireShape() {
        District d = emu.district();
        String school = d.schools().get(0).get("id").toString();
        String id = d.addStudent("Zoë", "Núñez", school, "Kindergarten");
        assertTrue(d.user(id).isPresent());
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("name.last", "Núñez-Ortiz");
        changes.put("roles.student.grade", "1");
        changes.put("roles.student.ext.gifted_status", "Y");
        assertTrue(d.updateUser(id, changes));
        assertTrue(d.updateUser(id, Map.of("name.last", "Núñez-Ortiz")), "no change, no event");
        assertTrue(d.removeUser(id));
        assertFalse(d.removeUser(id));

        JsonNode page = Http.ok(emu, "/v3.0/events");
        assertEquals(3, page.path("data").size());
        JsonNode created = page.path("data").get(0);
        JsonNode e1 = created.path("data");
        assertEquals("users.created", e1.path("type").asText());
        assertEquals("/v3.0/events/" + e1.path("id").asText(), created.path("uri").asText());
        assertTrue(e1.path("created").asText().endsWith(".000Z"), e1.path("created").asText());
        assertEquals(id, e1.path("data").path("object").path("id").asText());
        assertFalse(e1.path("data").has("previous_attributes"));
        assertFalse(e1.has("previous_attributes"), "not at the event level (Swagger) but inside data (wire)");

        JsonNode e2 = page.path("data").get(1).path("data");
        assertEquals("users.updated", e2.path("type").asText());
        JsonNode obj = e2.path("data").path("object");
        assertEquals("Núñez-Ortiz", obj.path("name").path("last").asText());
        assertEquals("Zoë", obj.path("name").path("first").asText(), "object is the full current object");
        assertEquals("1", obj.path("roles").path("student").path("grade").asText());
        JsonNode prev = e2.path("data").path("previous_attributes");
        assertEquals("{\"name\":{\"last\":\"Núñez\"},\"roles\":{\"student\":{\"grade\":\"Kindergarten\","
                + "\"ext\":{\"gifted_status\":null}}}}", prev.toString());

        JsonNode e3 = page.path("data").get(2).path("data");
        assertEquals("users.deleted", e3.path("type").asText());
        assertEquals(id, e3.path("data").path("object").path("id").asText());
        assertEquals(404, Http.get(emu, "/v3.0/users/" + id).statusCode());

        // ids ascend in feed order; single event endpoint
        assertTrue(e1.path("id").asText().compareTo(e2.path("id").asText()) < 0);
        assertEquals("users.updated", Http.ok(emu, "/v3.0/events/" + e2.path("id").asText())
                .path("data").path("type").asText());
        // ending_before=last&limit=1 gives the newest event
        JsonNode newest = Http.ok(emu, "/v3.0/events?ending_before=last&limit=1");
        assertEquals(e3.path("id").asText(), Http.ids(newest).get(0));
    }

    @Test
    void generatedUsersCanBeChangedAndRemoved() {
        District d = emu.district();
        String teacher = d.userIds("teacher").get(0);
        assertTrue(d.updateUser(teacher, Map.of("roles.staff", District.REMOVE)));
        assertFalse(d.userIds("staff").contains(teacher), "the role is gone");
        assertTrue(d.userIds("teacher").contains(teacher));
        JsonNode e = Http.ok(emu, "/v3.0/events").path("data").get(0).path("data");
        assertEquals("users.updated", e.path("type").asText());
        assertTrue(e.path("data").path("previous_attributes").path("roles").path("staff").has("staff_id"));
        assertFalse(e.path("data").path("object").path("roles").has("staff"));

        String student = d.userIds("student").get(5);
        int before = d.count("student");
        d.removeUser(student);
        assertEquals(before - 1, d.count("student"));
        assertFalse(Http.all(emu, "/v3.0/users?role=student&limit=7").contains(student));
        // a generated user gaining a role shows up in that role's list
        String contactless = d.userIds("teacher").get(1);
        d.updateUser(contactless, Map.of("roles.district_admin", Map.of("title", "Librarian", "legacy_id", "")));
        assertTrue(Http.all(emu, "/v3.0/users?role=district_admin").contains(contactless));
    }

    @Test
    void schoolEventsAndRecordTypeFilter() throws Exception {
        District d = emu.district();
        String s = d.addSchool("Ødegård Library Academy");
        d.updateSchool(s, Map.of("name", "Ødegård Academy", "location.zip", "10001"));
        String school0 = d.schools().get(0).get("id").toString();
        d.addTeacher("Siobhán", "O'Brien", school0);
        d.removeSchool(s);
        assertEquals(4, Http.ok(emu, "/v3.0/events").path("data").size());
        JsonNode schools = Http.ok(emu, "/v3.0/events?record_type=schools");
        assertEquals(3, schools.path("data").size());
        assertEquals("schools.updated", schools.path("data").get(1).path("data").path("type").asText());
        assertEquals(Http.MAPPER.readTree("{\"name\":\"Ødegård Library Academy\",\"location\":{\"zip\":\"\"}}"),
                schools.path("data").get(1).path("data").path("data").path("previous_attributes"));
        assertEquals(1, Http.ok(emu, "/v3.0/events?record_type=users").path("data").size());
        assertEquals(4, Http.ok(emu, "/v3.0/events?record_type=users&record_type=schools").path("data").size());
        assertEquals(1, Http.ok(emu, "/v3.0/events?school=" + school0).path("data").size());
        JsonNode paged = Http.ok(emu, "/v3.0/events?limit=3");
        assertEquals("/v3.0/events?limit=3&starting_after=" + Http.ids(paged).get(2), Http.link(paged, "next"));
    }

    @Test
    void staleCursorSilentlyReturnsWhatRemains() {
        District d = emu.district();
        String school = d.schools().get(0).get("id").toString();
        String a = d.addStudent("Ana", "Peña", school, "3");
        String cursor = Http.ids(Http.ok(emu, "/v3.0/events")).get(0);
        d.addStudent("Bo", "Lee", school, "4");
        clock.advance(Duration.ofDays(20));
        d.updateUser(a, Map.of("name.first", "Anna"));
        clock.advance(Duration.ofDays(11)); // the first two events are now 31 days old
        d.addStudent("Cy", "Kim", school, "5");
        JsonNode page = Http.ok(emu, "/v3.0/events?starting_after=" + cursor);
        assertEquals(2, page.path("data").size(), "200 with the oldest retained events, no error");
        assertEquals("users.updated", page.path("data").get(0).path("data").path("type").asText());
        assertEquals(2, d.eventCount());
        // ageEvents: the same without moving the clock
        d.ageEvents(Duration.ofDays(20));
        JsonNode rest = Http.ok(emu, "/v3.0/events?starting_after=" + cursor);
        assertEquals(1, rest.path("data").size());
        assertEquals(List.of(d.lastEventId().orElseThrow()), Http.ids(rest));
    }
}
