package org.rollbook.sync.internal.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.rollbook.api.patron.PatronType;
import org.rollbook.api.sync.Count;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.Outcome;
import org.rollbook.api.sync.Situation;

/** Counts per situation, outcome, type and site. */
final class Tally {

    private record Key(Situation situation, Outcome outcome, PatronType type, String site) {
    }

    private final Map<Key, long[]> counts = new HashMap<>();

    void add(LogEntry e) {
        add(e.situation(), e.outcome(), e.type(), e.site(), 1);
    }

    void add(Situation situation, Outcome outcome, PatronType type, String site, long n) {
        counts.computeIfAbsent(new Key(situation, outcome, type, site), k -> new long[1])[0] += n;
    }

    void addAll(Tally other) {
        other.counts.forEach((k, v) -> add(k.situation(), k.outcome(), k.type(), k.site(), v[0]));
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    long total(Outcome outcome) {
        return counts.entrySet().stream().filter(e -> e.getKey().outcome() == outcome).mapToLong(e -> e.getValue()[0]).sum();
    }

    /** Per type, of one outcome (or of every outcome for null). */
    Map<PatronType, Long> byType(Outcome outcome) {
        Map<PatronType, Long> out = new java.util.EnumMap<>(PatronType.class);
        counts.forEach((k, v) -> {
            if (outcome == null || k.outcome() == outcome) {
                out.merge(k.type(), v[0], Long::sum);
            }
        });
        return out;
    }

    /** Per site (null for none), of one outcome (or of every outcome for null). */
    Map<String, Long> bySite(Outcome outcome) {
        Map<String, Long> out = new HashMap<>();
        counts.forEach((k, v) -> {
            if (outcome == null || k.outcome() == outcome) {
                out.merge(k.site(), v[0], Long::sum);
            }
        });
        return out;
    }

    /** "3 created, 2 updated, 10 unchanged, 1 disputed, 4 skipped, 1 transferred, 0 failed" */
    String summary(long transferred) {
        long disputed = counts.entrySet().stream().filter(e -> e.getKey().situation() == Situation.DISPUTED)
                .mapToLong(e -> e.getValue()[0]).sum();
        long skipped = counts.entrySet().stream().filter(e -> e.getKey().situation() == Situation.SKIPPED)
                .mapToLong(e -> e.getValue()[0]).sum();
        return total(Outcome.CREATED) + " created, " + total(Outcome.UPDATED) + " updated, " + total(Outcome.UNCHANGED)
                + " unchanged, " + disputed + " disputed, " + skipped + " skipped, " + transferred + " transferred, "
                + total(Outcome.FAILED) + " failed";
    }

    long total() {
        return counts.values().stream().mapToLong(v -> v[0]).sum();
    }

    List<Count> counts() {
        List<Count> out = new ArrayList<>(counts.size());
        counts.forEach((k, v) -> out.add(new Count(k.situation(), k.outcome(), k.type(), k.site(), v[0])));
        out.sort((a, b) -> {
            int c = a.situation().compareTo(b.situation());
            c = c != 0 ? c : a.outcome().compareTo(b.outcome());
            c = c != 0 ? c : a.type().compareTo(b.type());
            return c != 0 ? c : Objects.compare(a.site(), b.site(), java.util.Comparator.nullsFirst(String::compareTo));
        });
        return out;
    }
}
