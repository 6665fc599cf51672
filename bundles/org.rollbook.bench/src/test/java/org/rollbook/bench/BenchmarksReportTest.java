package org.rollbook.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** How the harness reports several runs of a size: medians, the worst memory, ranges and every run. */
class BenchmarksReportTest {

    private static BenchmarkRun.Result run(int students, double full, double fetch, double insert, String status, long heap) {
        return new BenchmarkRun.Result(students, students + 8_670L, fetch, insert, Math.max(fetch, insert), full, status, 5.0, 0,
                1.0, students / 100, "completed", heap, heap / 2, heap + 200, Map.of(Phases.READ, fetch),
                Map.of("store.forEachLinked", 0.5));
    }

    @Test
    void medianIsTheMiddleRunOrTheMeanOfTheTwoMiddleOnes() {
        assertEquals(2.0, Benchmarks.median(List.of(3.0, 1.0, 2.0), Double::doubleValue));
        assertEquals(2.5, Benchmarks.median(List.of(4.0, 1.0, 2.0, 3.0), Double::doubleValue));
        assertEquals(7.0, Benchmarks.median(List.of(7.0), Double::doubleValue));
        assertEquals(9, Benchmarks.most(List.of(3L, 9L, 1L), Long::longValue));
    }

    @Test
    void severalRunsGiveMediansTheWorstMemoryRangesAndEveryRun() {
        // ratios 1.50×, 2.20×, 1.80× (floor 50 s each)
        List<BenchmarkRun.Result> million = List.of(run(1_000_000, 75, 20, 30, "completed", 900),
                run(1_000_000, 110, 20, 30, "completed", 1000), run(1_000_000, 90, 20, 30, "completed", 800));
        String md = Benchmarks.markdown(List.of(million), List.of());

        assertTrue(md.contains("**Each size ran 3 times**"), md);
        // the main row: median full sync 90.0 s and ratio 1.80×, the most heap any run used
        assertTrue(md.contains("| 1,000,000 | 1,008,670 | 90.0 s | 11,207 | 50.0 s (20.0 + 30.0) | 1.80× |"), md);
        assertTrue(md.contains("| 1000 MB | 500 MB | 1200 MB |"), md);
        // the targets: median with the range; one run over 2.0× means the target is not met
        assertTrue(md.contains("| 1M full first sync ≤ 5 min, `-Xmx1g` | 90.0 s (75.0 s – 110.0 s), completed | met |"), md);
        assertTrue(md.contains("| 1,000,000: full sync ≤ 2.0× the floor | 1.80× (1.50× – 2.20×) | **not met** in 1 of 3 runs |"), md);
        assertTrue(md.contains("## Every run"), md);
        assertTrue(md.contains("| 1,000,000 | 2 | 110.0 s | 50.0 s (20.0 + 30.0) | 2.20× |"), md);
    }

    @Test
    void aRunThatDidNotCompleteIsNamed() {
        List<BenchmarkRun.Result> runs = List.of(run(1_000_000, 75, 20, 30, "completed", 900),
                run(1_000_000, 80, 20, 30, "failed", 900));
        String md = Benchmarks.markdown(List.of(runs), List.of());
        assertTrue(md.contains("completed ×1, failed ×1 | **not met** in 1 of 2 runs |"), md);
    }

    @Test
    void oneRunReportsAsBefore() {
        String md = Benchmarks.markdown(List.of(List.of(run(100_000, 12, 5, 5, "completed", 800))), List.of());
        assertTrue(md.contains("| 100k full first sync ≤ 30 s | 12.0 s | met |"), md);
        assertFalse(md.contains("Every run"), md);
        assertFalse(md.contains("times**"), md);
    }
}
