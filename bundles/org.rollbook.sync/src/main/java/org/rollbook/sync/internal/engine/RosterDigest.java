package org.rollbook.sync.internal.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.rollbook.api.patron.PatronField;
import org.rollbook.sync.internal.mapping.MappedRecord;

/**
 * The digest of what a mapped roster record makes a patron: its type, GUID and site, and for every field the
 * mapping owns for the type, whether a blank erases it and the value (or its absence). Two records with the
 * same digest lead to the same patron; a mapping that owns other fields, or a school mapped to another site,
 * gives another digest. SHA-256, first 128 bits in hex. One instance per run (not thread-safe).
 */
final class RosterDigest {

    private static final HexFormat HEX = HexFormat.of();

    private final MessageDigest sha;

    RosterDigest() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    String of(MappedRecord m, String site) {
        sha.reset();
        text(m.type().code());
        text(m.guid());
        text(site);
        for (PatronField f : m.owned()) { // an EnumSet: always the same order
            sha.update((byte) f.ordinal());
            sha.update((byte) (m.erasable().contains(f) ? 1 : 0));
            text(m.get(f));
        }
        byte[] d = sha.digest();
        return HEX.formatHex(d, 0, 16);
    }

    /** Length-prefixed, so that no two sequences of texts share an encoding; null differs from "". */
    private void text(String s) {
        if (s == null) {
            sha.update((byte) 0);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sha.update((byte) 1);
        sha.update((byte) (b.length >>> 24));
        sha.update((byte) (b.length >>> 16));
        sha.update((byte) (b.length >>> 8));
        sha.update((byte) b.length);
        sha.update(b);
    }
}
