package org.rollbook.sync.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class LinkedDigestsTest {

    private static String digest(Random rnd) {
        byte[] b = new byte[16];
        rnd.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Test
    void findsEveryDigestAmongManyAndNothingElse() {
        Random rnd = new Random(7);
        Map<String, Long> expected = new HashMap<>();
        LinkedDigests.Builder b = new LinkedDigests.Builder();
        for (long id = 1; id <= 50_000; id++) {
            String d = digest(rnd);
            expected.put(d, id);
            b.add(d, id);
        }
        // digests that share their first 64 bits are told apart by the rest
        b.add("00000000000000010000000000000002", 900_001);
        b.add("00000000000000010000000000000001", 900_002);
        expected.put("00000000000000010000000000000002", 900_001L);
        expected.put("00000000000000010000000000000001", 900_002L);
        LinkedDigests linked = b.build();

        assertEquals(expected.size(), linked.size());
        expected.forEach((d, id) -> assertEquals(id, linked.patronOf(d), d));
        assertEquals(0, linked.patronOf(digest(new Random(8))));
        assertEquals(0, linked.patronOf("00000000000000010000000000000003"));
        assertEquals(0, linked.patronOf(null));
        assertEquals(0, linked.patronOf("not a digest"));
    }

    @Test
    void aDigestTwoPatronsHoldIsKnownToNeither() {
        LinkedDigests linked = new LinkedDigests.Builder().add("aa".repeat(16), 1).add("bb".repeat(16), 2)
                .add("aa".repeat(16), 3).add("zz".repeat(16), 4).build();
        assertEquals(0, linked.patronOf("aa".repeat(16)), "both get compared in full");
        assertEquals(2, linked.patronOf("bb".repeat(16)));
        assertEquals(1, linked.size(), "a value that is not hex is left out");
        assertEquals(0, LinkedDigests.NONE.patronOf("bb".repeat(16)));
    }
}
