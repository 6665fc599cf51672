package org.rollbook.emulator.oneroster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The roster the emulator serves; thread-safe and changeable while the server runs.
 *
 * <p>Generated records all carry one {@link #baselineModified() import time} (ClassLink stamps a whole import,
 * ref §4.1 [OBS]). Every change stamps the record with {@link #now()} (strictly increasing milliseconds).
 * {@link #removeUser}/{@link #removeOrg} only mark a record {@code tobedeleted} (still served, newer
 * {@code dateLastModified}); {@link #purge}, {@link #purgeTobedeleted()} or the retention hook make it vanish
 * (ref §4.2). Sourced ids: students {@code 1nnnnnnn}, teachers {@code 2nnnnnnn}, administrators {@code 3nnnnnnn},
 * parents/guardians {@code 4nnnnnnn}, district org {@code 9000000}, schools {@code 9nnnnnn}, homeroom classes
 * {@code hr<teacherId>}, enrollments {@code en<userId>}.
 */
public interface District {

    DistrictSpec spec();

    /** Current clock of the district (emulator clock plus {@link #advanceClock}). */
    Instant now();

    /** The {@code dateLastModified} every untouched generated record carries. */
    Instant baselineModified();

    /** Moves the district clock forward (affects new timestamps and tobedeleted retention, not OAuth checks). */
    void advanceClock(Duration d);

    String districtOrgId();

    /** Ids of schools currently served (including tobedeleted ones). */
    List<String> schoolIds();

    /** sourcedId of the i-th generated or added user of that role (PARENT and GUARDIAN share one sequence). */
    String userId(Role role, int index);

    /** How many users of that kind exist (generated + added; PARENT and GUARDIAN counted together). */
    int userCount(Role role);

    /** The user as served now (active or tobedeleted); empty if unknown or purged. */
    Optional<RosterUser> user(String sourcedId);

    Optional<RosterOrg> org(String sourcedId);

    /** The homeroom class of a generated student or teacher. */
    Optional<String> homeroomClassId(String userSourcedId);

    /**
     * Adds a user. With a null builder sourcedId the next generated id of its role is assigned; otherwise the given
     * id is used verbatim (any string without {@code /}, e.g. {@code 7_1553} or {@code A|17}, ref P9) and the
     * collections then order by sourcedId explicitly. A parent's {@code agentIds} (children) get the reverse link; a
     * student's {@code agentIds} (parents) too. Orgs default to the first school. Custom-id users get no
     * demographics record, homeroom or enrollment.
     */
    RosterUser addUser(RosterUser.Builder user);

    /** Changes a user (not its id/role kind); bumps {@code dateLastModified}. */
    RosterUser updateUser(String sourcedId, UnaryOperator<RosterUser.Builder> change);

    /** Bumps {@code dateLastModified} without other change. */
    void touch(String sourcedId);

    /** Marks a user {@code tobedeleted} with a new {@code dateLastModified}. */
    RosterUser removeUser(String sourcedId);

    RosterOrg addSchool(String name, String identifier);

    RosterOrg updateOrg(String sourcedId, UnaryOperator<RosterOrg> change);

    /** Marks an org {@code tobedeleted}. */
    RosterOrg removeOrg(String sourcedId);

    /** Makes a user or org disappear entirely (404, absent from collections). Returns false if unknown. */
    boolean purge(String sourcedId);

    /** Purges every record currently tobedeleted; returns how many. */
    int purgeTobedeleted();

    /** Records tobedeleted for longer than this (district clock) are purged lazily; null disables (default). */
    void tobedeletedRetention(Duration retention);

    /** Current {@code x-perm-rev} value. */
    String permRev();

    /** Simulates a district import landing: new {@code x-perm-rev}; returns it. */
    String bumpPermRev();
}
