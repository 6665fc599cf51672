package org.rollbook.emulator.clever;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class GeneratorTest {

    @Test
    void sameSeedSameDistrictOverTheWire() throws Exception {
        try (CleverEmulator a = CleverEmulator.builder().seed(11).build().start();
                CleverEmulator b = CleverEmulator.builder().seed(11).build().start();
                CleverEmulator c = CleverEmulator.builder().seed(12).build().start()) {
            for (String q : List.of("/v3.0/users?limit=500", "/v3.0/users?role=contact&limit=50",
                    "/v3.0/schools", "/v3.0/districts")) {
                assertEquals(Http.ok(a, q), Http.ok(b, q), q);
                assertNotEquals(Http.ok(a, q), Http.ok(c, q), q);
            }
            assertEquals(a.districtId(), b.districtId());
            assertEquals(a.districtToken(), b.districtToken());
            assertEquals(a.clientSecret(), b.clientSecret());
        }
    }

    @Test
    void ratios() {
        DistrictSpec s = DistrictSpec.ofStudents(1000);
        assertEquals(new DistrictSpec(1000, 67, 20, 3, 500, 2), s);
        assertEquals(DistrictSpec.DEMO, s);
        assertEquals(1, DistrictSpec.ofStudents(100).schools());
        assertEquals(2000, DistrictSpec.ofStudents(1_000_000).schools());
    }

    @Test
    void demoDistrictHasTheVarietyOfRealData() throws Exception {
        try (CleverEmulator emu = CleverEmulator.builder().seed(1).build().start()) {
            District d = emu.district();
            assertEquals(1000, d.count("student"));
            assertEquals(67, d.count("teacher"));
            assertEquals(20 + 7 + 1, d.count("staff"), "staff-only + every 10th teacher + one admin");
            assertEquals(3, d.count("district_admin"));
            assertEquals(500, d.count("contact"));
            List<String> students = Http.all(emu, "/v3.0/users?role=student&limit=10000");
            JsonNode page = Http.ok(emu, "/v3.0/users?role=student&limit=10000");
            Set<String> grades = new HashSet<>();
            Map<String, Integer> emails = new HashMap<>();
            int absent = 0, blank = 0, nulls = 0, nonAscii = 0, noDob = 0;
            for (JsonNode item : page.path("data")) {
                JsonNode u = item.path("data");
                JsonNode st = u.path("roles").path("student");
                assertEquals(1, u.path("roles").size(), "students have no other role");
                grades.add(st.path("grade").asText());
                if (!u.has("email")) {
                    absent++;
                } else if (u.get("email").isNull()) {
                    nulls++;
                } else if (u.get("email").asText().isEmpty()) {
                    blank++;
                } else {
                    emails.merge(u.get("email").asText(), 1, Integer::sum);
                }
                String name = u.path("name").path("first").asText() + u.path("name").path("last").asText();
                if (!name.chars().allMatch(ch -> ch < 128)) {
                    nonAscii++;
                }
                if (st.hasNonNull("dob") && !st.get("dob").asText().isEmpty()) {
                    assertTrue(st.get("dob").asText().matches("[1-9]\\d?/[1-9]\\d?/\\d{4}"), st.get("dob").asText());
                } else {
                    noDob++;
                }
                assertTrue(st.path("sis_id").isTextual());
                assertEquals(st.path("school").asText(), st.path("schools").get(0).asText());
            }
            assertEquals(1000, students.size());
            for (String g : List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "Kindergarten",
                    "PreKindergarten", "TransitionalKindergarten", "InfantToddler", "Preschool", "PostGraduate",
                    "Ungraded", "Other")) {
                assertTrue(grades.contains(g), g);
            }
            assertTrue(absent > 0 && blank > 0 && nulls > 0, absent + "/" + blank + "/" + nulls);
            assertTrue(emails.values().stream().anyMatch(n -> n > 1), "siblings share a family email");
            assertTrue(nonAscii > 50, "non-ASCII names: " + nonAscii);
            assertTrue(noDob > 0);

            JsonNode contacts = Http.ok(emu, "/v3.0/users?role=contact&limit=100");
            int fullNameInLast = 0;
            for (JsonNode item : contacts.path("data")) {
                JsonNode u = item.path("data");
                JsonNode rel = u.path("roles").path("contact").path("student_relationships");
                assertTrue(rel.size() >= 1);
                String student = rel.get(0).path("student").asText();
                assertTrue(students.contains(student));
                assertTrue(rel.get(0).has("relationship") && rel.get(0).has("type"));
                if (!u.path("name").has("first")) {
                    fullNameInLast++;
                }
            }
            assertTrue(fullNameInLast > 0);
            JsonNode staff = Http.ok(emu, "/v3.0/users?role=staff&limit=100");
            for (JsonNode item : staff.path("data")) {
                JsonNode s = item.path("data").path("roles").path("staff");
                assertTrue(s.path("schools").size() >= 1);
                assertTrue(s.has("staff_id") && s.path("roles").isArray());
            }
            JsonNode admins = Http.ok(emu, "/v3.0/users?role=district_admin");
            for (JsonNode item : admins.path("data")) {
                JsonNode a = item.path("data").path("roles").path("district_admin");
                assertTrue(a.has("legacy_id") && a.has("title") && !a.has("schools"));
            }
        }
    }

    @Test
    void millionStudentsStartQuicklyAndPage() throws Exception {
        long t = System.nanoTime();
        try (CleverEmulator emu = CleverEmulator.builder().seed(2).district(DistrictSpec.ofStudents(1_000_000))
                .build().start()) {
            long startMs = (System.nanoTime() - t) / 1_000_000;
            assertTrue(startMs < 3000, "started in " + startMs + " ms");
            JsonNode first = Http.ok(emu, "/v3.0/users?role=student&limit=10000");
            assertEquals(10000, first.path("data").size());
            JsonNode second = Http.ok(emu, Http.link(first, "next"));
            assertEquals(10000, second.path("data").size());
            List<String> a = Http.ids(first);
            assertTrue(a.get(9999).compareTo(Http.ids(second).get(0)) < 0);
            JsonNode last = Http.ok(emu, "/v3.0/users?role=student&limit=3&ending_before=last");
            List<String> lastIds = Http.ids(last);
            JsonNode after = Http.ok(emu, "/v3.0/users?role=student&starting_after=" + lastIds.get(1));
            assertEquals(List.of(lastIds.get(2)), Http.ids(after));
            assertEquals(null, Http.link(after, "next"));
            JsonNode schools = Http.ok(emu, "/v3.0/schools?limit=10000");
            assertEquals(2000, schools.path("data").size());
            String school = schools.path("data").get(1234).path("data").path("id").asText();
            JsonNode su = Http.ok(emu, "/v3.0/schools/" + school + "/users?role=student&limit=1000");
            assertEquals(500, su.path("data").size());
            assertEquals(1_000_000, emu.district().count("student"));
            String someone = a.get(4321);
            assertEquals(someone, Http.ok(emu, "/v3.0/users/" + someone).path("data").path("id").asText());
        }
    }
}
