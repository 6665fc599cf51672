package org.rollbook.emulator.oneroster.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import org.rollbook.emulator.oneroster.District;
import org.rollbook.emulator.oneroster.DistrictSpec;
import org.rollbook.emulator.oneroster.Role;
import org.rollbook.emulator.oneroster.RosterOrg;
import org.rollbook.emulator.oneroster.RosterUser;

/** Generated district plus an overlay of changes. Writers synchronize on this; readers use concurrent maps. */
public final class DistrictImpl implements District {

    final Gen gen;
    private final Clock clock;
    private volatile Duration offset = Duration.ZERO;
    private long lastStamp;
    final java.util.concurrent.atomic.AtomicIntegerArray added = new java.util.concurrent.atomic.AtomicIntegerArray(4);
    volatile int addedSchools;
    final Map<String, RosterUser> users = new ConcurrentHashMap<>();
    final Map<String, RosterOrg> orgs = new ConcurrentHashMap<>();
    final Set<String> purged = ConcurrentHashMap.newKeySet();
    /** Users added with caller-chosen sourcedIds (any string, e.g. {@code 7_1553} or {@code a|b}), by id. */
    final java.util.concurrent.ConcurrentSkipListMap<String, RosterUser> extras = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** Sorted snapshot of {@link #extras} keys for positional access. */
    volatile String[] extraIds = new String[0];
    /** Keys (kind << 32 | index) of generated users that are overridden or purged. */
    private final Set<Long> touched = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> tobedeleted = new ConcurrentHashMap<>();
    /** Bumped on every change; query caches key on it. */
    final AtomicLong version = new AtomicLong();
    private final AtomicLong permRev;
    private volatile Duration retention;

    public DistrictImpl(long seed, DistrictSpec spec, Clock clock) {
        this.gen = new Gen(seed, spec);
        this.clock = clock;
        this.permRev = new AtomicLong(1_000_000L + Long.remainderUnsigned(Gen.mix(seed ^ 0x5EED), 8_000_000L));
    }

    static int kindOf(Role r) {
        return switch (r) {
            case STUDENT -> Gen.STUDENT;
            case TEACHER -> Gen.TEACHER;
            case ADMINISTRATOR -> Gen.ADMIN;
            default -> Gen.PARENT;
        };
    }

    public int size(int kind) { return gen.count(kind) + added.get(kind); }

    public int orgCount() { return 1 + gen.spec.schools() + addedSchools; }

    @Override public DistrictSpec spec() { return gen.spec; }

    @Override public Instant now() { return clock.instant().plus(offset); }

    @Override public Instant baselineModified() { return Gen.BASELINE; }

    @Override public void advanceClock(Duration d) { synchronized (this) { offset = offset.plus(d); } }

    /** Strictly increasing millisecond stamp after the baseline. */
    synchronized Instant stamp() {
        long t = Math.max(now().toEpochMilli(), Gen.BASELINE.toEpochMilli() + 1000);
        if (t <= lastStamp) t = lastStamp + 1;
        lastStamp = t;
        return Instant.ofEpochMilli(t);
    }

    @Override public String districtOrgId() { return Gen.orgId(0); }

    @Override
    public List<String> schoolIds() {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < orgCount(); i++) {
            String id = Gen.orgId(i);
            if (!purged.contains(id)) out.add(id);
        }
        return out;
    }

    @Override public String userId(Role role, int index) { return Gen.userId(kindOf(role), index); }

    @Override public int userCount(Role role) { return size(kindOf(role)); }

    /** The user at (kind, index), or null if out of range or purged. */
    public RosterUser userAt(int kind, int index) {
        if (index < 0 || index >= size(kind)) return null;
        String id = Gen.userId(kind, index);
        if (purged.contains(id)) return null;
        RosterUser o = users.get(id);
        if (o != null) return o;
        return index < gen.count(kind) ? gen.user(kind, index) : null;
    }

    /** True if the record at (kind,index) is generated and untouched (fast scalar path). */
    public boolean pristine(int kind, int index) {
        if (index >= gen.count(kind)) return false;
        return touched.isEmpty() || !touched.contains(((long) kind << 32) | index);
    }

    /** Stores the current state of a user (generated-id overlay or custom-id map). */
    private void store(String id, RosterUser u) {
        long k = Gen.parseUserId(id);
        if (k >= 0) { touched.add(k); users.put(id, u); return; }
        boolean isNew = !extras.containsKey(id);
        extras.put(id, u);
        if (isNew) extraIds = extras.keySet().toArray(new String[0]);
    }

    private void touch0(String id) {
        long k = Gen.parseUserId(id);
        if (k >= 0) touched.add(k);
    }

    /** True when students were added (their demographics may be missing). */
    boolean studentsAdded() { return added.get(Gen.STUDENT) > 0; }

    public RosterUser userById(String id) {
        long k = Gen.parseUserId(id);
        if (k < 0) return id == null ? null : extras.get(id);
        return userAt((int) (k >>> 32), (int) k);
    }

    public RosterOrg orgAt(int index) {
        if (index < 0 || index >= orgCount()) return null;
        String id = Gen.orgId(index);
        if (purged.contains(id)) return null;
        RosterOrg o = orgs.get(id);
        if (o != null) return o;
        if (index == 0) return gen.district();
        return index <= gen.spec.schools() ? gen.school(index - 1) : null;
    }

    public RosterOrg orgById(String id) {
        int i = Gen.parseOrgId(id);
        return i < 0 ? null : orgAt(i);
    }

    @Override public Optional<RosterUser> user(String id) { maintain(); return Optional.ofNullable(userById(id)); }

    @Override public Optional<RosterOrg> org(String id) { maintain(); return Optional.ofNullable(orgById(id)); }

    @Override
    public Optional<String> homeroomClassId(String id) {
        long k = Gen.parseUserId(id);
        if (k < 0) return Optional.empty();
        int kind = (int) (k >>> 32), i = (int) k;
        if (kind == Gen.STUDENT && i < gen.count(kind)) {
            int t = gen.homeroomTeacher(i);
            return t < 0 ? Optional.empty() : Optional.of(classId(t));
        }
        if (kind == Gen.TEACHER && i < gen.count(kind)) return Optional.of(classId(i));
        return Optional.empty();
    }

    public static String classId(int teacher) { return "hr" + Gen.userId(Gen.TEACHER, teacher); }

    /** Teacher index of a homeroom class id, or -1. */
    public int classTeacher(String classId) {
        if (classId == null || !classId.startsWith("hr")) return -1;
        long k = Gen.parseUserId(classId.substring(2));
        if (k < 0 || (k >>> 32) != Gen.TEACHER) return -1;
        int t = (int) k;
        return t < gen.spec.teachers() ? t : -1;
    }

    // ---------------------------------------------------------------- mutations

    private void changed() { version.incrementAndGet(); }

    @Override
    public RosterUser addUser(RosterUser.Builder b) {
        synchronized (this) {
            RosterUser proto = b.build();
            int kind = kindOf(proto.role());
            String id;
            boolean custom = proto.sourcedId() != null;
            if (custom) {
                id = proto.sourcedId();
                if (id.isEmpty() || id.contains("/")) throw new IllegalArgumentException("sourcedId must be non-empty and contain no '/'");
                if (Gen.parseUserId(id) >= 0 || Gen.parseOrgId(id) >= 0) throw new IllegalArgumentException("sourcedId " + id + " collides with generated ids");
                if (extras.containsKey(id) || purged.contains(id)) throw new IllegalArgumentException("sourcedId " + id + " already used");
            } else {
                int index = gen.count(kind) + added.get(kind);
                if (index > 9_999_999) throw new IllegalStateException("id space exhausted");
                id = Gen.userId(kind, index);
            }
            RosterUser.Builder nb = proto.toBuilder().sourcedId(id).status("active").dateLastModified(stamp());
            if (proto.orgIds().isEmpty()) nb.orgIds(List.of(schoolIds().isEmpty() ? districtOrgId() : schoolIds().get(0)));
            RosterUser u = nb.build();
            store(id, u);
            if (!custom) added.incrementAndGet(kind);
            for (String other : u.agentIds()) {
                RosterUser o = userById(other);
                if (o != null && !o.agentIds().contains(id)) {
                    List<String> a = new ArrayList<>(o.agentIds());
                    a.add(id);
                    store(other, o.toBuilder().agentIds(a).dateLastModified(stamp()).build());
                }
            }
            changed();
            return u;
        }
    }

    private RosterUser existing(String id) {
        RosterUser u = userById(id);
        if (u == null) throw new NoSuchElementException("no user " + id);
        return u;
    }

    @Override
    public RosterUser updateUser(String id, UnaryOperator<RosterUser.Builder> change) {
        synchronized (this) {
            RosterUser cur = existing(id);
            RosterUser.Builder b = change.apply(cur.toBuilder());
            RosterUser n = b.sourcedId(id).dateLastModified(stamp()).build();
            if (kindOf(n.role()) != kindOf(cur.role())) throw new IllegalArgumentException("role kind cannot change");
            store(id, n);
            if (!"tobedeleted".equals(n.status())) tobedeleted.remove(id);
            else tobedeleted.putIfAbsent(id, n.dateLastModified());
            changed();
            return n;
        }
    }

    @Override
    public void touch(String id) { updateUser(id, b -> b); }

    @Override
    public RosterUser removeUser(String id) {
        synchronized (this) {
            RosterUser n = existing(id).toBuilder().status("tobedeleted").dateLastModified(stamp()).build();
            store(id, n);
            tobedeleted.put(id, n.dateLastModified());
            changed();
            return n;
        }
    }

    @Override
    public RosterOrg addSchool(String name, String identifier) {
        synchronized (this) {
            int index = orgCount();
            String id = Gen.orgId(index);
            RosterOrg o = new RosterOrg(id, "active", stamp(), name, "school", identifier == null ? "" : identifier, districtOrgId());
            orgs.put(id, o);
            addedSchools++;
            changed();
            return o;
        }
    }

    @Override
    public RosterOrg updateOrg(String id, UnaryOperator<RosterOrg> change) {
        synchronized (this) {
            RosterOrg cur = orgById(id);
            if (cur == null) throw new NoSuchElementException("no org " + id);
            RosterOrg c = change.apply(cur);
            RosterOrg n = new RosterOrg(id, c.status(), stamp(), c.name(), cur.type(), c.identifier(), cur.parentId());
            orgs.put(id, n);
            if ("tobedeleted".equals(n.status())) tobedeleted.putIfAbsent(id, n.dateLastModified());
            else tobedeleted.remove(id);
            changed();
            return n;
        }
    }

    @Override
    public RosterOrg removeOrg(String id) { return updateOrg(id, o -> o.withStatus("tobedeleted")); }

    @Override
    public boolean purge(String id) {
        synchronized (this) {
            if (userById(id) == null && orgById(id) == null) return false;
            touch0(id);
            purged.add(id);
            users.remove(id);
            if (extras.remove(id) != null) extraIds = extras.keySet().toArray(new String[0]);
            orgs.remove(id);
            tobedeleted.remove(id);
            changed();
            return true;
        }
    }

    @Override
    public int purgeTobedeleted() {
        synchronized (this) {
            int n = 0;
            for (String id : new LinkedHashSet<>(tobedeleted.keySet())) if (purge(id)) n++;
            return n;
        }
    }

    @Override public void tobedeletedRetention(Duration r) { retention = r; maintain(); }

    /** Applies the retention hook; called before serving each request. */
    public void maintain() {
        Duration r = retention;
        if (r == null || tobedeleted.isEmpty()) return;
        Instant limit = now().minus(r);
        synchronized (this) {
            for (Map.Entry<String, Instant> e : new ArrayList<>(tobedeleted.entrySet()))
                if (!e.getValue().isAfter(limit)) purge(e.getKey());
        }
    }

    @Override public String permRev() { return Long.toString(permRev.get()); }

    @Override public String bumpPermRev() { return Long.toString(permRev.incrementAndGet()); }
}
