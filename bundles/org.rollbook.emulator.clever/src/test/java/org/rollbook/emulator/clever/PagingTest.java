package org.rollbook.emulator.clever;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PagingTest {
    static CleverEmulator emu;

    @BeforeAll
    static void start() throws Exception {
        emu = CleverEmulator.builder().seed(42).district(new DistrictSpec(250, 17, 5, 3, 125, 2)).build().start();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @Test
    void defaultLimitIs100AndLinksAreExact() {
        JsonNode page = Http.ok(emu, "/v3.0/users?role=student");
        List<String> ids = Http.ids(page);
        assertEquals(100, ids.size());
        assertEquals("/v3.0/users?role=student", Http.link(page, "self"));
        assertEquals("/v3.0/users?role=student&starting_after=" + ids.get(99), Http.link(page, "next"));
        assertNull(Http.link(page, "prev"), "no prev on a first page");
        assertEquals(2, page.path("links").size());
        for (String id : ids) {
            assertTrue(id.matches("[0-9a-f]{24}"), id);
        }
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertEquals(sorted, ids, "ascending ids");
    }

    @Test
    void nextKeepsLimitFirstAndPrevPointsAtFirstId() {
        JsonNode first = Http.ok(emu, "/v3.0/users?role=student&limit=25");
        List<String> a = Http.ids(first);
        assertEquals("/v3.0/users?limit=25&role=student&starting_after=" + a.get(24), Http.link(first, "next"));
        JsonNode second = Http.ok(emu, Http.link(first, "next"));
        List<String> b = Http.ids(second);
        assertEquals(25, b.size());
        assertTrue(b.get(0).compareTo(a.get(24)) > 0);
        assertEquals("/v3.0/users?limit=25&role=student&starting_after=" + a.get(24), Http.link(second, "self"));
        assertEquals("/v3.0/users?limit=25&role=student&ending_before=" + b.get(0), Http.link(second, "prev"));
        assertEquals("/v3.0/users?limit=25&role=student&starting_after=" + b.get(24), Http.link(second, "next"));
        // prev leads back to the first page
        JsonNode back = Http.ok(emu, Http.link(second, "prev"));
        assertEquals(a, Http.ids(back));
    }

    @Test
    void startingAfterNeedNotExist() {
        List<String> all = Http.all(emu, "/v3.0/users?role=student&limit=1000");
        assertEquals(250, all.size());
        String x = all.get(10);
        // a cursor that is not a user id still works: items with id > cursor (string order)
        JsonNode page = Http.ok(emu, "/v3.0/users?role=student&limit=3&starting_after=" + x);
        assertEquals(all.subList(11, 14), Http.ids(page));
        JsonNode page2 = Http.ok(emu, "/v3.0/users?role=student&limit=3&starting_after=" + x.substring(0, 22) + "zz");
        assertFalse(Http.ids(page2).isEmpty());
        assertTrue(Http.ids(page2).get(0).compareTo(x.substring(0, 22) + "zz") > 0);
        JsonNode none = Http.ok(emu, "/v3.0/users?role=student&starting_after=ffffffffffffffffffffffff");
        assertEquals(0, none.path("data").size());
        assertNull(Http.link(none, "next"));
        assertNull(Http.link(none, "prev"), "no prev on an empty page");
    }

    @Test
    void endingBeforeReturnsThePreviousItemsAscending() {
        List<String> all = Http.all(emu, "/v3.0/users?role=student&limit=10000");
        JsonNode page = Http.ok(emu, "/v3.0/users?role=student&limit=5&ending_before=" + all.get(20));
        assertEquals(all.subList(15, 20), Http.ids(page));
        assertEquals("/v3.0/users?limit=5&role=student&ending_before=" + all.get(15), Http.link(page, "prev"));
        assertEquals("/v3.0/users?limit=5&role=student&starting_after=" + all.get(19), Http.link(page, "next"));
        JsonNode head = Http.ok(emu, "/v3.0/users?role=student&limit=5&ending_before=" + all.get(3));
        assertEquals(all.subList(0, 3), Http.ids(head));
        assertNull(Http.link(head, "prev"));
        JsonNode last = Http.ok(emu, "/v3.0/users?role=student&limit=4&ending_before=last");
        assertEquals(all.subList(246, 250), Http.ids(last));
    }

    @Test
    void shortLastPageHasNoNextAndFullTraversalIsComplete() {
        List<String> ids = Http.all(emu, "/v3.0/users?role=student&limit=100");
        assertEquals(250, ids.size());
        assertEquals(250, new HashSet<>(ids).size());
        assertEquals(emu.district().userIds("student"), ids);
        JsonNode last = Http.ok(emu, "/v3.0/users?role=student&limit=100&starting_after=" + ids.get(199));
        assertEquals(50, last.path("data").size());
        assertNull(Http.link(last, "next"));
        assertNotNull(Http.link(last, "prev"));
        // an exactly full last page: the emulator knows there is nothing more
        JsonNode exact = Http.ok(emu, "/v3.0/users?role=student&limit=50&starting_after=" + ids.get(199));
        assertEquals(50, exact.path("data").size());
        assertNull(Http.link(exact, "next"));
    }

    @Test
    void limitBounds() {
        JsonNode big = Http.ok(emu, "/v3.0/users?limit=10000");
        assertEquals(250 + 17 + 5 + 3 + 125, big.path("data").size());
        assertNull(Http.link(big, "next"));
        HttpResponse<String> tooBig = Http.get(emu, "/v3.0/users?limit=10001");
        assertEquals(413, tooBig.statusCode());
        assertEquals(400, Http.get(emu, "/v3.0/users?limit=abc").statusCode());
        assertEquals(400, Http.get(emu, "/v3.0/users?role=parent").statusCode());
        assertEquals(200, Http.get(emu, "/v3.0/users?count=5").statusCode(), "count=5 is ignored");
        JsonNode count = Http.ok(emu, "/v3.0/users?role=teacher&count=true");
        assertEquals(17, count.path("count").asInt());
    }

    @Test
    void roleFilterIncludesMultiRoleUsers() {
        Set<String> teachers = new HashSet<>(Http.all(emu, "/v3.0/users?role=teacher&limit=10000"));
        Set<String> staff = new HashSet<>(Http.all(emu, "/v3.0/users?role=staff&limit=10000"));
        Set<String> admins = new HashSet<>(Http.all(emu, "/v3.0/users?role=district_admin"));
        Set<String> contacts = new HashSet<>(Http.all(emu, "/v3.0/users?role=contact&limit=7"));
        assertEquals(17, teachers.size());
        assertEquals(3, admins.size());
        assertEquals(125, contacts.size());
        Set<String> teacherAndStaff = new HashSet<>(teachers);
        teacherAndStaff.retainAll(staff);
        assertEquals(2, teacherAndStaff.size(), "every 10th teacher is also staff");
        Set<String> adminAndStaff = new HashSet<>(admins);
        adminAndStaff.retainAll(staff);
        assertEquals(1, adminAndStaff.size());
        assertEquals(5 + 2 + 1, staff.size());
        for (String id : teacherAndStaff) {
            JsonNode u = Http.ok(emu, "/v3.0/users/" + id).path("data");
            assertTrue(u.path("roles").has("teacher") && u.path("roles").has("staff"));
            assertTrue(u.path("roles").path("staff").path("schools").isArray());
        }
        // all users without a role filter: each user once
        List<String> everyone = Http.all(emu, "/v3.0/users?limit=37");
        assertEquals(250 + 17 + 5 + 3 + 125, everyone.size());
        assertEquals(everyone.size(), new HashSet<>(everyone).size());
    }

    @Test
    void schoolsAndSchoolUsers() {
        JsonNode schools = Http.ok(emu, "/v3.0/schools");
        assertEquals(2, schools.path("data").size());
        assertNull(Http.link(schools, "next"));
        String school = schools.path("data").get(1).path("data").path("id").asText();
        List<String> students = Http.all(emu, "/v3.0/schools/" + school + "/users?role=student&limit=40");
        assertEquals(125, students.size());
        for (String id : students.subList(0, 5)) {
            assertEquals(school, Http.ok(emu, "/v3.0/users/" + id).path("data").path("roles").path("student")
                    .path("school").asText());
        }
        List<String> everyone = Http.all(emu, "/v3.0/schools/" + school + "/users?limit=1000");
        assertTrue(everyone.size() > 125 + 8, "students, teachers and staff: " + everyone.size());
        JsonNode s = Http.ok(emu, "/v3.0/schools/" + school);
        assertEquals(school, s.path("data").path("id").asText());
        assertEquals("/v3.0/schools/" + school, Http.link(s, "self"));
        assertEquals("/v3.0/schools/" + school + "/users", Http.link(s, "users"));
    }
}
