package org.rollbook.sync.internal.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.rollbook.api.patron.PatronType;
import org.rollbook.api.store.PatronQuery;
import org.rollbook.api.store.PatronStore;
import org.rollbook.api.sync.Outcome;

/**
 * The safety hold (SPEC §5): a run that would create or transfer more than its thresholds allow, overall,
 * per site or per record type, stops before writing. Count thresholds apply overall; shares apply at
 * every level, per site and type only from {@code holdMinimum} changes on (a small site losing two
 * patrons is no mass change).
 */
final class SafetyGuard {

    private final PatronStore store;

    SafetyGuard(PatronStore store) {
        this.store = store;
    }

    /** The thresholds the plan goes over, in words; empty when it may be applied. */
    List<String> breaches(RunContext run) {
        List<String> out = new ArrayList<>();
        RunSettings s = run.settings;
        check(out, "create", s.holdCreates(), run.planned.total(Outcome.CREATED), run.planned.byType(Outcome.CREATED),
                run.planned.bySite(Outcome.CREATED), s.holdMinimum());
        check(out, "transfer", s.holdTransfers(), run.transfers.total(), run.transfers.byType(null),
                run.transfers.bySite(null), s.holdMinimum());
        return out;
    }

    private void check(List<String> out, String verb, Threshold t, long total, Map<PatronType, Long> byType,
            Map<String, Long> bySite, int minimum) {
        if (t.isNone() || total == 0) {
            return;
        }
        long base = store.status().patrons();
        if (t.exceededBy(total, base)) {
            out.add("would " + verb + " " + total + " patrons of " + base + " (limit " + t + ")");
            return;
        }
        if (t.percent() == 0) {
            return;
        }
        Threshold share = new Threshold(0, t.percent());
        byType.forEach((type, n) -> {
            long typeBase = n >= minimum ? count(type, null) : 0;
            if (n >= minimum && share.exceededBy(n, typeBase)) {
                out.add("would " + verb + " " + n + " of " + typeBase + " " + type.code() + " patrons (limit " + t + ")");
            }
        });
        bySite.forEach((site, n) -> {
            long siteBase = n >= minimum && site != null ? count(null, site) : 0;
            if (n >= minimum && site != null && share.exceededBy(n, siteBase)) {
                out.add("would " + verb + " " + n + " of " + siteBase + " patrons at site " + site + " (limit " + t + ")");
            }
        });
    }

    private long count(PatronType type, String site) {
        return store.search(new PatronQuery(null, type, site, 0, 0)).total(); // the total only: no page sorted
    }
}
