package org.rollbook.connector.classlink.internal;

import java.nio.charset.StandardCharsets;

/**
 * The sourcedIds one collection pull has delivered, as 64-bit hashes in an open-addressing table (about 16 bytes a
 * person): after an {@code x-perm-rev} restart, people already delivered are not delivered twice.
 */
final class SeenIds {

    private long[] table = new long[1024];
    private int size;
    private boolean hasZero;

    /** Adds the id; false when it was there already. */
    boolean add(String id) {
        long h = hash(id);
        if (h == 0) {
            boolean was = hasZero;
            hasZero = true;
            return !was;
        }
        if ((size + 1) * 2 > table.length) {
            grow();
        }
        int mask = table.length - 1;
        for (int i = (int) (h ^ (h >>> 32)) & mask;; i = (i + 1) & mask) {
            if (table[i] == 0) {
                table[i] = h;
                size++;
                return true;
            }
            if (table[i] == h) {
                return false;
            }
        }
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        size = 0;
        int mask = table.length - 1;
        for (long h : old) {
            if (h != 0) {
                int i = (int) (h ^ (h >>> 32)) & mask;
                while (table[i] != 0) {
                    i = (i + 1) & mask;
                }
                table[i] = h;
                size++;
            }
        }
    }

    /** FNV-1a 64 over the UTF-8 bytes, then a final mix. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
