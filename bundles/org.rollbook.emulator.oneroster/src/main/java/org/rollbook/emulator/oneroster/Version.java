package org.rollbook.emulator.oneroster;

/** Which OneRoster REST binding the emulator advertises in {@link OneRosterEmulator#baseUrl()}. */
public enum Version {
    /** {@code /ims/oneroster/v1p1}, OAuth 1.0a or bearer, 1.1 object shapes (ClassLink today). */
    V1P1,
    /** Additionally {@code /ims/oneroster/rostering/v1p2}, bearer only, 1.2 object shapes (ref §9.1: unconfirmed for ClassLink). */
    V1P2
}
