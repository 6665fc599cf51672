package org.rollbook.connector.classlink.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * What a fetch keeps in memory to join users with other collections: compact packed strings per person, never JSON.
 * <ul>
 * <li>{@code demographics}: user sourcedId → {@code birthDate␟sex} (students only; empty when demographics are off)</li>
 * <li>{@code parents}: parent/guardian/relative sourcedId → {@code givenName␟familyName␟email}</li>
 * <li>{@code homeroomOf}: student/teacher sourcedId → homeroom class sourcedId (homeroom on only)</li>
 * <li>{@code classes}: homeroom class sourcedId → {@code classCode␟location␟teacher name} (homeroom on only)</li>
 * </ul>
 */
final class Joins {

    final Map<String, String> demographics = new HashMap<>();
    final Map<String, String> parents = new HashMap<>();
    final Map<String, String> homeroomOf = new HashMap<>();
    final Map<String, String> classes = new HashMap<>();

    String demographics(String id) {
        return demographics.get(id);
    }

    String parent(String id) {
        return id == null || id.isEmpty() ? null : parents.get(id);
    }

    String homeroom(String id) {
        String c = homeroomOf.get(id);
        return c == null ? null : classes.get(c);
    }
}
