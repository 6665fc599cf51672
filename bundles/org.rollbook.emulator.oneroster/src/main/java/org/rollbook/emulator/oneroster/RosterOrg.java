package org.rollbook.emulator.oneroster;

import java.time.Instant;

/** An org as the emulator serves it. {@code parentId} is null for the district. */
public record RosterOrg(String sourcedId, String status, Instant dateLastModified, String name, String type,
        String identifier, String parentId) {

    public RosterOrg withName(String n) { return new RosterOrg(sourcedId, status, dateLastModified, n, type, identifier, parentId); }

    public RosterOrg withIdentifier(String i) { return new RosterOrg(sourcedId, status, dateLastModified, name, type, i, parentId); }

    public RosterOrg withStatus(String s) { return new RosterOrg(sourcedId, s, dateLastModified, name, type, identifier, parentId); }

    public RosterOrg withDateLastModified(Instant t) { return new RosterOrg(sourcedId, status, t, name, type, identifier, parentId); }
}
