package org.rollbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ViewsTest {

    private static Map<String, Object> count(String situation, String outcome, long records) {
        return Map.of("situation", situation, "outcome", outcome, "type", "student", "site", "A", "records", records);
    }

    @Test
    void countsReadAsTheServersSummaryWithoutZeros() {
        assertEquals("3 created, 2 updated, 10 unchanged, 1 disputed, 4 skipped, 1 transferred, 2 failed", Views.counts(List.of(
                count("unmatched", "created", 2), count("unmatched", "created", 1), count("linked", "updated", 2),
                count("linked", "unchanged", 10), count("disputed", "none", 1), count("skipped", "none", 4),
                count("absent", "updated", 1), count("linked", "failed", 2))));
        assertEquals("no records", Views.counts(List.of()));
        assertEquals("no records", Views.counts(List.of(count("linked", "updated", 0))));
    }

    @Test
    void aMessageThatOnlyRepeatsTheCountsIsLeftOut() {
        assertEquals(null, Views.message(Map.of("message", "3 created, 0 updated, 0 unchanged, 0 disputed, 0 skipped, 0 transferred, 0 failed.")));
        assertEquals("preview, nothing was written: 3 created", Views.message(Map.of("message", "preview, nothing was written: 3 created")));
        assertEquals(null, Views.message(Map.of("message", " ")));
        assertEquals(null, Views.message(Map.of()));
    }

    @Test
    void timesAndDurations() {
        assertEquals("2026-01-05 14:03:22", Views.time("2026-01-05T14:03:22.123Z", ZoneOffset.UTC));
        assertEquals("2026-01-05 15:03:22", Views.time("2026-01-05T14:03:22Z", ZoneOffset.ofHours(1)));
        assertEquals("-", Views.time(null, ZoneOffset.UTC));
        assertEquals("59s", Views.duration(Duration.ofSeconds(59)));
        assertEquals("3m 05s", Views.duration(Duration.ofSeconds(185)));
        assertEquals("1h 02m", Views.duration(Duration.ofMinutes(62)));
    }

    @Test
    void progress() {
        assertEquals("queued", Views.progress(Map.of("status", "queued")));
        assertEquals("running", Views.progress(Map.of("status", "running", "processed", 0L, "expected", 0L)));
        assertEquals("running: 1200 records", Views.progress(Map.of("status", "running", "processed", 1200L, "expected", 0L)));
        assertEquals("running: 1200 of 5000 records (24%)",
                Views.progress(Map.of("status", "running", "processed", 1200L, "expected", 5000L)));
    }

    @Test
    void tablesAlignColumns() {
        assertEquals("ID  NAME\n10  x\n7   longer\n", Views.table(List.of(List.of("ID", "NAME"), List.of("10", "x"), List.of("7", "longer"))));
    }
}
