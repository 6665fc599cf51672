package org.rollbook.emulator.clever.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** ObjectID-style IDs (8 hex seconds + 6 hex "machine" + 10 hex counter) and Clever timestamp formats. */
final class Ids {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Ids() {
    }

    static String objectId(long epochSeconds, int machine, long counter) {
        char[] c = new char[24];
        hex(c, 0, epochSeconds & 0xFFFFFFFFL, 8);
        hex(c, 8, machine & 0xFFFFFFL, 6);
        hex(c, 14, counter & 0xFFFFFFFFFFL, 10);
        return new String(c);
    }

    private static void hex(char[] out, int at, long v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            int d = (int) (v & 0xF);
            out[at + i] = (char) (d < 10 ? '0' + d : 'a' + d - 10);
            v >>>= 4;
        }
    }

    static boolean isObjectId(String s) {
        if (s == null || s.length() != 24) {
            return false;
        }
        for (int i = 0; i < 24; i++) {
            char ch = s.charAt(i);
            if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    static long seconds(String id) {
        return Long.parseLong(id.substring(0, 8), 16);
    }

    static int machine(String id) {
        return Integer.parseInt(id.substring(8, 14), 16);
    }

    static long counter(String id) {
        return Long.parseLong(id.substring(14, 24), 16);
    }

    static String isoMillis(long epochMillis) {
        return ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }

    /** SplitMix64 finaliser: a well-mixed 64-bit hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static String hexToken(long seed, int chars) {
        StringBuilder sb = new StringBuilder(chars);
        long s = seed;
        while (sb.length() < chars) {
            s = mix(s + 0x9E3779B97F4A7C15L);
            String h = Long.toHexString(s);
            for (int i = h.length(); i < 16; i++) {
                sb.append('0');
            }
            sb.append(h);
        }
        return sb.substring(0, chars);
    }
}
