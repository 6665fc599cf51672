package org.rollbook.sync.internal.engine;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.rollbook.api.patron.Patron;
import org.rollbook.api.patron.PatronField;
import org.rollbook.api.patron.PatronStatus;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.store.KeyLookup;
import org.rollbook.api.store.PatronKeys;
import org.rollbook.api.store.PatronStore;
import org.rollbook.api.store.PatronWrite;
import org.rollbook.api.sync.FieldChange;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.Outcome;
import org.rollbook.api.sync.Situation;
import org.rollbook.sync.internal.mapping.MappedRecord;

/**
 * Matches one batch of roster records against the patrons (SPEC §4.1) and plans what to write for
 * each (SPEC §4.2). Costs a few batched key look-ups and one batched read per batch, never a query per
 * record. A linked patron whose roster digest (kept by the store with the last sync's write) equals the
 * incoming record's is unchanged without being read: on a re-sync, that is nearly everyone. On a full run
 * such patrons are known before the roster is read ({@link LinkedDigests}), and their GUIDs are not looked up.
 */
final class BatchPlanner {

    /** The match keys after GUID, in order, with the names the log uses. */
    private static final List<PatronField> NEXT_KEYS = List.of(PatronField.BARCODE, PatronField.COMMUNITY_ID,
            PatronField.EMAIL);

    private final PatronStore store;
    private final RunContext run;
    private final RosterDigest digests = new RosterDigest();

    BatchPlanner(PatronStore store, RunContext run) {
        this.store = store;
        this.run = run;
    }

    static String keyName(PatronField f) {
        return f == PatronField.GUID ? "guid" : f.key();
    }

    /**
     * A record that survived the checks before matching, with its site and digest, and the patron a full
     * run's {@link LinkedDigests} know it unchanged in (0: look it up).
     */
    private record Candidate(MappedRecord record, String site, String digest, long unchangedIn) {
    }

    List<PlanItem> plan(List<RosterRecord> records) {
        List<PlanItem> items = new ArrayList<>(records.size());
        List<Candidate> candidates = new ArrayList<>(records.size());
        for (RosterRecord r : records) {
            run.records++;
            MappedRecord m = run.mapping.map(r);
            String skip = precheck(m);
            if (skip != null) {
                items.add(PlanItem.logOnly(entry(m, Situation.SKIPPED, Outcome.NONE, null, 0, null, List.of(), skip, List.of())));
                continue;
            }
            String site = site(m);
            String digest = digests.of(m, site);
            long unchangedIn = m.deleted() || !m.notes().isEmpty() ? 0 : run.linked.patronOf(digest);
            candidates.add(new Candidate(m, site, digest, unchangedIn));
        }
        if (candidates.isEmpty()) {
            return tally(items);
        }
        KeyIndex index = lookup(candidates);
        List<Decision> decisions = new ArrayList<>(candidates.size());
        Set<Long> toLoad = new LinkedHashSet<>();
        for (Candidate c : candidates) {
            Decision d = decide(c, index);
            decisions.add(d);
            if (d.patronId > 0 && !d.sameAsLastSync) {
                toLoad.add(d.patronId);
            }
        }
        Map<Long, Patron> patrons = new HashMap<>();
        for (Patron p : store.patrons(toLoad)) {
            patrons.put(p.id(), p);
        }
        List<Decision> creates = new ArrayList<>();
        for (Decision d : decisions) {
            if (d.situation == Situation.UNMATCHED && !d.candidate.record().deleted()) {
                creates.add(d);
            }
        }
        assignSequenceBarcodes(creates);
        for (Decision d : decisions) {
            items.add(planned(d, patrons.get(d.patronId), index));
        }
        return tally(items);
    }

    private List<PlanItem> tally(List<PlanItem> items) {
        for (PlanItem i : items) {
            run.planned.add(i.entry());
            for (FieldChange c : i.entry().changes()) {
                if (c.field() == PatronField.STATUS && PatronStatus.TRANSFERRED.fieldValue().equals(c.after())) {
                    run.transfers.add(i.entry());
                }
            }
        }
        return items;
    }

    /** Why the record cannot be placed, or null. Also remembers its GUID as seen. */
    private String precheck(MappedRecord m) {
        boolean firstTime = run.seenGuids.add(m.guid());
        if (m.invalid() != null) {
            return m.invalid();
        }
        if (!run.settings.types().contains(m.type())) {
            return m.type().code() + " records are not synced for this integration";
        }
        if (!firstTime) {
            return "the roster delivered this person twice; the first record was used";
        }
        if (m.deleted() || m.type() == PatronType.DISTRICT_ADMIN) {
            return null; // a removal needs no site; district admins get the default site
        }
        if (m.schoolId() == null) {
            return "the record names no school";
        }
        if (!run.siteBySchool.containsKey(m.schoolId())) {
            return "school " + m.schoolId() + " is not mapped to a site";
        }
        return null;
    }

    private String site(MappedRecord m) {
        if (m.type() == PatronType.DISTRICT_ADMIN || m.schoolId() == null) {
            return m.schoolId() == null ? run.settings.defaultSite() : run.siteBySchool.getOrDefault(m.schoolId(),
                    run.settings.defaultSite());
        }
        return run.siteBySchool.get(m.schoolId());
    }

    // ------------------------------------------------------------------ matching

    /** The stored patrons holding any key of the batch, by key. */
    private static final class KeyIndex {
        final Map<String, PatronKeys> byGuid = new HashMap<>();
        final Map<PatronField, Map<String, List<PatronKeys>>> byKey = new EnumMap<>(PatronField.class);
        final java.util.Set<Long> seen = new java.util.HashSet<>();

        List<PatronKeys> holding(PatronField key, String value) {
            Map<String, List<PatronKeys>> m = byKey.get(key);
            return m == null || value == null ? List.of() : m.getOrDefault(value, List.of());
        }
    }

    /**
     * Two look-ups per batch: GUIDs first; the other keys only for the records no GUID matched (on a
     * re-sync that is almost none, so most batches cost one query per key chunk).
     */
    private KeyIndex lookup(List<Candidate> candidates) {
        KeyIndex index = new KeyIndex();
        KeyLookup guids = new KeyLookup(run.integration);
        for (Candidate c : candidates) {
            if (c.unchangedIn() == 0) {
                guids.guid(c.record().guid());
            }
        }
        if (!guids.isEmpty()) {
            index(index, find(guids));
        }
        KeyLookup others = new KeyLookup(run.integration);
        for (Candidate c : candidates) {
            MappedRecord m = c.record();
            if (c.unchangedIn() > 0 || index.byGuid.containsKey(m.guid())) {
                continue;
            }
            if (run.mapping.mapsKey(m.type(), PatronField.BARCODE)) {
                others.barcode(m.get(PatronField.BARCODE));
            }
            if (run.mapping.mapsKey(m.type(), PatronField.COMMUNITY_ID)) {
                others.communityId(m.get(PatronField.COMMUNITY_ID));
            }
            if (run.mapping.mapsKey(m.type(), PatronField.EMAIL)) {
                others.email(m.get(PatronField.EMAIL));
            }
        }
        // a linked record's new barcode still has to be checked against other patrons before it is written
        for (Candidate c : candidates) {
            PatronKeys linked = index.byGuid.get(c.record().guid());
            String barcode = KeyLookup.key(c.record().get(PatronField.BARCODE));
            if (linked != null && barcode != null && !barcode.equals(linked.barcode())
                    && run.mapping.owned(c.record().type()).contains(PatronField.BARCODE)) {
                others.barcode(barcode);
            }
        }
        if (!others.isEmpty()) {
            index(index, find(others));
        }
        return index;
    }

    /** The patrons holding the keys; none, without asking, while the run's own load holds the table empty. */
    private List<PatronKeys> find(KeyLookup lookup) {
        return run.storeEmpty ? List.of() : store.findByKeys(lookup);
    }

    private void index(KeyIndex index, List<PatronKeys> found) {
        for (PatronKeys k : found) {
            if (k.guid() != null && run.integration.equals(k.integration())) {
                index.byGuid.put(k.guid(), k);
            }
            if (index.seen.add(k.id())) {
                put(index, PatronField.BARCODE, k.barcode(), k);
                put(index, PatronField.COMMUNITY_ID, k.communityId(), k);
                put(index, PatronField.EMAIL, k.email(), k);
            }
        }
    }

    private static void put(KeyIndex index, PatronField key, String value, PatronKeys k) {
        if (value != null) {
            index.byKey.computeIfAbsent(key, x -> new HashMap<>()).computeIfAbsent(value, x -> new ArrayList<>(1)).add(k);
        }
    }

    private static final class Decision {
        final Candidate candidate;
        Situation situation;
        long patronId;
        String key;
        final List<String> blankKeys = new ArrayList<>();
        List<Long> disputedWith = List.of();
        String reason;
        String sequenceBarcode;
        /** linked, and the patron holds what this very record made it at the last sync: nothing to read or write */
        boolean sameAsLastSync;

        Decision(Candidate candidate) {
            this.candidate = candidate;
        }
    }

    private Decision decide(Candidate c, KeyIndex index) {
        MappedRecord m = c.record();
        Decision d = new Decision(c);
        if (c.unchangedIn() > 0) {
            d.situation = Situation.LINKED;
            d.patronId = c.unchangedIn();
            d.key = "guid";
            d.sameAsLastSync = true;
            run.claimed.add(d.patronId);
            return d;
        }
        PatronKeys linked = index.byGuid.get(m.guid());
        if (linked != null) {
            d.situation = Situation.LINKED;
            d.patronId = linked.id();
            d.key = "guid";
            d.sameAsLastSync = !m.deleted() && m.notes().isEmpty() && c.digest().equals(linked.rosterDigest())
                    && linked.status() == PatronStatus.ACTIVE && linked.type() == m.type();
            run.claimed.add(linked.id());
            return d;
        }
        Map<PatronField, Long> pointsAt = new EnumMap<>(PatronField.class);
        for (PatronField key : NEXT_KEYS) {
            if (!run.mapping.mapsKey(m.type(), key)) {
                continue;
            }
            String value = key == PatronField.EMAIL ? KeyLookup.emailKey(m.get(key)) : KeyLookup.key(m.get(key));
            if (value == null) {
                d.blankKeys.add(keyName(key));
                continue;
            }
            List<PatronKeys> holders = index.holding(key, value);
            // a patron linked to another person of this roster is that person's, not a candidate
            List<Long> eligible = holders.stream()
                    .filter(k -> k.guid() == null || !run.integration.equals(k.integration()))
                    .map(PatronKeys::id).distinct().toList();
            if (eligible.size() > 1) {
                return disputed(d, eligible, "two patrons (" + ids(eligible) + ") share " + keyName(key) + " '"
                        + m.get(key) + "'");
            }
            if (eligible.size() == 1) {
                pointsAt.put(key, eligible.get(0));
            } else if (key == PatronField.BARCODE && !holders.isEmpty()) {
                long owner = holders.get(0).id();
                return disputed(d, List.of(owner), "barcode '" + m.get(key) + "' belongs to patron " + owner
                        + ", who is linked to another roster record");
            }
        }
        Set<Long> targets = new LinkedHashSet<>(pointsAt.values());
        if (targets.size() > 1) {
            String how = pointsAt.entrySet().stream().map(e -> keyName(e.getKey()) + " → patron " + e.getValue())
                    .collect(Collectors.joining(", "));
            return disputed(d, List.copyOf(targets), "keys point at different patrons: " + how);
        }
        if (targets.size() == 1) {
            long target = targets.iterator().next();
            if (!run.claimed.add(target)) {
                return disputed(d, List.of(target), "patron " + target
                        + " was already matched to another record of this roster");
            }
            d.situation = Situation.UNLINKED;
            d.patronId = target;
            d.key = keyName(pointsAt.keySet().iterator().next());
            return d;
        }
        d.situation = Situation.UNMATCHED;
        String barcode = KeyLookup.key(m.get(PatronField.BARCODE));
        if (barcode != null && run.mapping.owned(m.type()).contains(PatronField.BARCODE)
                && !m.deleted() && !run.plannedBarcodes.add(barcode)) {
            return disputed(d, List.of(), "barcode '" + barcode + "' is also on another record of this roster");
        }
        return d;
    }

    private static Decision disputed(Decision d, List<Long> with, String reason) {
        d.situation = Situation.DISPUTED;
        d.patronId = 0;
        d.disputedWith = with;
        d.reason = reason;
        return d;
    }

    private static String ids(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(" and "));
    }

    // ------------------------------------------------------------------ planning

    private void assignSequenceBarcodes(List<Decision> creates) {
        if (run.settings.barcodeStart() <= 0) {
            return;
        }
        List<Decision> need = creates.stream()
                .filter(d -> !run.mapping.owned(d.candidate.record().type()).contains(PatronField.BARCODE)).toList();
        List<String> free = new ArrayList<>();
        while (free.size() < need.size()) {
            List<String> proposals = new ArrayList<>();
            for (int i = free.size(); i < need.size(); i++) {
                proposals.add(run.settings.barcodePrefix() + run.nextBarcode++);
            }
            KeyLookup lookup = new KeyLookup(run.integration);
            proposals.forEach(lookup::barcode);
            Set<String> taken = find(lookup).stream().map(PatronKeys::barcode).filter(Objects::nonNull)
                    .collect(Collectors.toSet());
            for (String b : proposals) {
                if (!taken.contains(b) && run.plannedBarcodes.add(b)) {
                    free.add(b);
                }
            }
        }
        for (int i = 0; i < need.size(); i++) {
            need.get(i).sequenceBarcode = free.get(i);
        }
    }

    private PlanItem planned(Decision d, Patron current, KeyIndex index) {
        MappedRecord m = d.candidate.record();
        String site = d.candidate.site();
        String notes = m.notes().isEmpty() ? null : String.join("; ", m.notes());
        switch (d.situation) {
            case DISPUTED:
                return PlanItem.logOnly(entry(m, Situation.DISPUTED, Outcome.NONE, site, 0, null, d.disputedWith,
                        d.reason, List.of(), d.blankKeys));
            case UNMATCHED:
                return create(d, m, site, notes);
            default:
                if (d.sameAsLastSync) {
                    return PlanItem.logOnly(entry(m, d.situation, Outcome.UNCHANGED, site, d.patronId, d.key, List.of(),
                            null, List.of(), d.blankKeys));
                }
                if (current == null) { // matched a moment ago, gone now (deleted by an admin): try again next run
                    return PlanItem.logOnly(entry(m, d.situation, Outcome.NONE, site, d.patronId, d.key, List.of(),
                            "patron " + d.patronId + " disappeared while the run was planned", List.of(), d.blankKeys));
                }
                return update(d, m, current, site, notes, index);
        }
    }

    private PlanItem create(Decision d, MappedRecord m, String site, String notes) {
        if (m.deleted()) {
            return PlanItem.logOnly(entry(m, Situation.UNMATCHED, Outcome.NONE, site, 0, null, List.of(),
                    join("removed from the roster; no patron to mark Transferred", notes), List.of(), d.blankKeys));
        }
        Map<PatronField, String> values = new EnumMap<>(PatronField.class);
        values.putAll(m.values());
        values.put(PatronField.GUID, m.guid());
        if (site != null) {
            values.put(PatronField.SITE, site);
        }
        values.put(PatronField.STATUS, PatronStatus.ACTIVE.fieldValue());
        String reason = notes;
        if (d.sequenceBarcode != null) {
            values.put(PatronField.BARCODE, d.sequenceBarcode);
            reason = join("barcode " + d.sequenceBarcode + " from the sequence", reason);
        }
        if (site == null) {
            reason = join("no site: no default site is configured", reason);
        }
        List<FieldChange> changes = new ArrayList<>(values.size());
        values.forEach((f, v) -> changes.add(new FieldChange(f, null, v)));
        LogEntry e = entry(m, Situation.UNMATCHED, Outcome.CREATED, site, 0, null, List.of(), reason, changes,
                d.blankKeys);
        PatronWrite w = PatronWrite.create(m.type(), run.settings.policies().get(m.type()), run.integration, values);
        return PlanItem.write(notes == null ? w.withRosterDigest(d.candidate.digest()) : w, e);
    }

    private PlanItem update(Decision d, MappedRecord m, Patron current, String site, String notes, KeyIndex index) {
        List<FieldChange> changes = new ArrayList<>();
        List<String> remarks = new ArrayList<>();
        if (notes != null) {
            remarks.add(notes);
        }
        boolean agrees = !m.deleted() && notes == null && current.type() == m.type(); // after this write
        if (d.situation == Situation.UNLINKED) {
            changes.add(new FieldChange(PatronField.GUID, current.get(PatronField.GUID), m.guid()));
        }
        if (!m.deleted()) {
            for (PatronField f : m.owned()) {
                if (f == PatronField.GUID) {
                    continue;
                }
                String in = m.get(f);
                String now = current.get(f);
                if (in != null) {
                    if (in.equals(now)) {
                        continue;
                    }
                    if (f == PatronField.BARCODE && barcodeTakenByOther(in, current.id(), index)) {
                        remarks.add("barcode '" + in + "' belongs to another patron; left as it was");
                        agrees = false;
                        continue;
                    }
                    changes.add(new FieldChange(f, now, in));
                } else if (now != null && m.erasable().contains(f)) {
                    changes.add(new FieldChange(f, now, null));
                }
            }
            if (site != null && !site.equals(current.get(PatronField.SITE))) {
                changes.add(new FieldChange(PatronField.SITE, current.get(PatronField.SITE), site));
            }
        }
        PatronStatus status = current.status();
        if (m.deleted() && status != PatronStatus.TRANSFERRED) {
            changes.add(new FieldChange(PatronField.STATUS, status.fieldValue(), PatronStatus.TRANSFERRED.fieldValue()));
            remarks.add("removed from the roster");
        } else if (!m.deleted() && status == PatronStatus.TRANSFERRED) {
            changes.add(new FieldChange(PatronField.STATUS, status.fieldValue(), PatronStatus.ACTIVE.fieldValue()));
            remarks.add("back on the roster: reactivated");
        }
        if (current.type() != m.type()) {
            remarks.add("the roster has this person as " + m.type().code() + ", the patron is a " + current.type().code());
        }
        String reason = remarks.isEmpty() ? null : String.join("; ", remarks);
        if (changes.isEmpty()) {
            return PlanItem.logOnly(entry(m, d.situation, Outcome.UNCHANGED, site, current.id(), d.key, List.of(),
                    reason, List.of(), d.blankKeys));
        }
        Map<PatronField, String> values = new EnumMap<>(PatronField.class);
        for (FieldChange c : changes) {
            values.put(c.field(), c.after());
        }
        LogEntry e = entry(m, d.situation, Outcome.UPDATED, site, current.id(), d.key, List.of(), reason, changes,
                d.blankKeys);
        PatronWrite w = PatronWrite.update(current.id(), run.integration, values);
        return PlanItem.write(agrees ? w.withRosterDigest(d.candidate.digest()) : w, e);
    }

    private static boolean barcodeTakenByOther(String barcode, long self, KeyIndex index) {
        return index.holding(PatronField.BARCODE, barcode).stream().anyMatch(k -> k.id() != self);
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + "; " + b;
    }

    private LogEntry entry(MappedRecord m, Situation situation, Outcome outcome, String site, long patronId, String key,
            List<Long> candidates, String reason, List<FieldChange> changes) {
        return entry(m, situation, outcome, site, patronId, key, candidates, reason, changes, List.of());
    }

    private LogEntry entry(MappedRecord m, Situation situation, Outcome outcome, String site, long patronId, String key,
            List<Long> candidates, String reason, List<FieldChange> changes, List<String> blankKeys) {
        return new LogEntry(0, situation, outcome, m.type(), site, m.guid(), patronId, key, blankKeys, candidates,
                reason, changes);
    }
}
