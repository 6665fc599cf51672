package org.rollbook.emulator.oneroster;

/**
 * Deviations seen in other OneRoster servers or ClassLink's proxy (ref §8 "knobs"), switchable while running via
 * {@link OneRosterEmulator#quirks()}. Filtering and sorting always work on the canonical values.
 */
public enum Quirk {
    /** Collections as a bare JSON array without the envelope (ref §2.3 [UNCONFIRMED]/[IMPL]). */
    BARE_ARRAYS,
    /** No {@code X-Total-Count} header (ref P2). */
    OMIT_TOTAL_COUNT,
    /** No {@code x-count} header. */
    OMIT_X_COUNT,
    /** No {@code Link} header. */
    OMIT_LINK,
    /** No {@code x-perm-rev} header. */
    OMIT_PERM_REV,
    /** {@code X-Total-Count} one higher than the truth (an inconsistent pull, ref §2.6). */
    WRONG_TOTAL_COUNT,
    /** JSON booleans instead of "true"/"false" strings (ref P1). */
    JSON_BOOLEANS,
    /** {@code null} instead of {@code ""} for empty top-level strings (ref P6). */
    NULL_FOR_EMPTY,
    /** {@code grades} as a comma-separated string instead of an array (ref P5). */
    GRADES_AS_STRING,
    /** {@code dateLastModified} without milliseconds ({@code …:01Z}, ref P4). */
    DATES_WITHOUT_MILLIS,
    /** {@code /classes/{id}/students} also returns the class's teacher (ref P8 [OBS]). */
    STUDENTS_LEAK_TEACHERS,
    /** {@code href}s point at another host ({@code https://<tenant>.rosterserver.com/…}, ref §2.3 [OBS]). */
    FOREIGN_HREF_HOST
}
