package org.rollbook.emulator.clever;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The emulated district: read access and mutations. Thread-safe. Objects are returned as plain JSON-like
 * values (nested {@code Map<String,Object>}, {@code List<Object>}, {@code String}, numbers, {@code null}) in
 * the exact v3.0 wire shape. Every mutation emits the matching event ({@code users.created|updated|deleted},
 * {@code schools.created|updated|deleted}) in the wire shape of the reference §8.3.
 */
public interface District {

    String ROLE_STUDENT = "student";
    String ROLE_TEACHER = "teacher";
    String ROLE_STAFF = "staff";
    String ROLE_DISTRICT_ADMIN = "district_admin";
    String ROLE_CONTACT = "contact";
    List<String> ROLES = List.of(ROLE_STUDENT, ROLE_TEACHER, ROLE_STAFF, ROLE_DISTRICT_ADMIN, ROLE_CONTACT);

    /** Value for {@link #updateUser}/{@link #updateSchool} that removes the key (instead of setting null). */
    Object REMOVE = new Object() {
        @Override
        public String toString() {
            return "REMOVE";
        }
    };

    /** The district ID (24 hex). */
    String id();

    /** The district object as served by {@code /v3.0/districts/{id}}. */
    Map<String, Object> asMap();

    /** The spec the district was generated from. */
    DistrictSpec spec();

    /** Users currently having {@code role} ({@code null}: all users; a multi-role user counts once). */
    int count(String role);

    /** IDs of users having {@code role} ({@code null}: all), ascending. Materialises the list: mind 1M districts. */
    List<String> userIds(String role);

    /** Up to {@code max} users having {@code role} ({@code null}: all) with ID greater than {@code after}
     *  ({@code null}: from the start), ascending: the same order as the API. */
    List<Map<String, Object>> users(String role, String after, int max);

    Optional<Map<String, Object>> user(String id);

    List<Map<String, Object>> schools();

    Optional<Map<String, Object>> school(String id);

    int schoolCount();

    /** Adds a student (grade e.g. "3", "Kindergarten") at {@code schoolId}; returns the new ID. */
    String addStudent(String first, String last, String schoolId, String grade);

    /** Adds a teacher at {@code schoolId}; returns the new ID. */
    String addTeacher(String first, String last, String schoolId);

    /** Adds a user given as a v3.0 user object without {@code id}/{@code district}/{@code created}/
     *  {@code last_modified} (filled in); it must have {@code roles}. Returns the new ID. */
    String addUser(Map<String, Object> user);

    /**
     * Changes a user. Keys are dotted paths ({@code "name.last"}, {@code "roles.student.grade"},
     * {@code "roles.staff"}); values are JSON-like ({@code null} sets JSON null, {@link #REMOVE} removes the
     * key, lists replace arrays whole). Emits {@code users.updated} with {@code previous_attributes} when
     * anything changed. Returns false if the user does not exist.
     */
    boolean updateUser(String id, Map<String, Object> changes);

    /** Removes (unshares) a user: it 404s afterwards; emits {@code users.deleted}. */
    boolean removeUser(String id);

    /** Adds a school; returns the new ID. */
    String addSchool(String name);

    boolean updateSchool(String id, Map<String, Object> changes);

    boolean removeSchool(String id);

    /** Makes every existing event older by {@code age} (as if that much time had passed for the event feed);
     *  events older than the retention (30 days) are purged from the feed. */
    void ageEvents(Duration age);

    /** Events currently retained. */
    int eventCount();

    /** The ID of the newest retained event, if any. */
    Optional<String> lastEventId();
}
