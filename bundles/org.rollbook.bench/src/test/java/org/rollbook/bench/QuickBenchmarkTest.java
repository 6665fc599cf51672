package org.rollbook.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's quick mode (10k students), so it cannot rot. Measures, asserts no timing. */
class QuickBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void theQuickModeRunsEveryScenarioAndReportsThem() throws Exception {
        BenchmarkRun.Result r = BenchmarkRun.run(10_000, dir);
        assertEquals("completed", r.fullStatus());
        assertEquals("completed", r.incrementalStatus());
        assertTrue(r.records() > 10_000, "students, teachers, staff and admins: " + r.records());
        assertEquals(0, r.resyncWrites(), "a no-change re-sync writes no patron");
        assertEquals(100, r.incrementalChanges());
        assertTrue(r.overlappedFloor() > 0 && r.fetchFloor() > 0 && r.insertFloor() > 0, r.toString());
        assertTrue(r.fullPhases().containsKey(Phases.READ) && r.resyncPhases().containsKey("store.forEachLinked"),
                "where the time goes: " + r.resyncPhases());

        BenchmarkRun.ClassLinkResult c = BenchmarkRun.runClassLink(10_000, dir.resolve("classlink"));
        assertEquals("completed", c.fullStatus());
        assertTrue(c.records() > 10_000, "students, teachers and administrators: " + c.records());

        String md = Benchmarks.markdown(List.of(List.of(r)), List.of(List.of(c)));
        assertTrue(md.contains("| 10,000 |"), md);
        assertTrue(md.contains("## Where the time goes"), md);
        assertTrue(md.contains("full ÷ fetch ∥ insert"), md);
    }
}
