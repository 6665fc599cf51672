package org.rollbook.emulator.clever.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.rollbook.emulator.clever.District;
import org.rollbook.emulator.clever.DistrictSpec;

/**
 * The district state: generated users (derived on demand) plus an overlay of materialised (changed or added)
 * users, a deleted-bit per generated user, schools, and the event feed. Guarded by one read/write lock;
 * stored nodes are never mutated after being stored (copy on write), so they can be serialised unlocked.
 */
public final class DistrictModel implements District {
    static final Duration RETENTION = Duration.ofDays(30);

    final Generator gen;
    private final Clock clock;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final BitSet deleted = new BitSet();
    private final BitSet materializedGen = new BitSet();
    private final Map<String, ObjectNode> materialized = new HashMap<>();
    private final TreeMap<String, ObjectNode> schools = new TreeMap<>();
    private final TreeMap<String, Event> events = new TreeMap<>();
    private final ObjectNode district;
    private long lastIdSeconds;
    private long idCounter;
    private long eventAgeMillis;

    /** One event of the feed. {@code json} is the inner object: id, type, created, data{object, previous_attributes}. */
    record Event(String id, String recordType, long createdMillis, ObjectNode json, List<String> schools) {
    }

    /** A user selection: candidate generated ranges, the default test for unchanged generated users, the test
     *  for materialised users. */
    record Sel(long[][] ranges, LongPredicate genDefault, Predicate<ObjectNode> current) {
    }

    public DistrictModel(long seed, DistrictSpec spec, Clock clock) {
        this.gen = new Generator(seed, spec);
        this.clock = clock;
        this.district = gen.district();
        for (int k = 0; k < spec.schools(); k++) {
            ObjectNode s = gen.school(k);
            schools.put(s.get("id").asText(), s);
        }
        this.lastIdSeconds = gen.t0 + gen.total / 500 + 1;
    }

    // ---- ids ------------------------------------------------------------------------------------------

    /** A new ascending ObjectID for runtime objects (added users and schools, events, tokens). */
    String nextId() {
        synchronized (this) {
            long now = Math.floorDiv(clock.millis(), 1000);
            lastIdSeconds = Math.max(lastIdSeconds, now);
            return Ids.objectId(lastIdSeconds, gen.machine | 8, ++idCounter);
        }
    }

    long nowMillis() {
        return clock.millis();
    }

    // ---- selections -----------------------------------------------------------------------------------

    static boolean hasRole(ObjectNode user, String role) {
        JsonNode roles = user.get("roles");
        return roles != null && roles.has(role);
    }

    static boolean inSchool(ObjectNode user, String schoolId) {
        JsonNode roles = user.get("roles");
        if (roles == null) {
            return false;
        }
        for (Iterator<JsonNode> it = roles.elements(); it.hasNext();) {
            JsonNode r = it.next();
            if (schoolId.equals(r.path("school").asText(null))) {
                return true;
            }
            for (JsonNode s : r.path("schools")) {
                if (schoolId.equals(s.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Users having {@code role} (null: any) and belonging to {@code schoolId} (null: any). */
    Sel selection(String role, String schoolId) {
        int k = schoolId == null ? -1 : gen.schoolIndex(schoolId);
        long[][] ranges = schoolId == null ? gen.roleRanges(role) : k >= 0 ? gen.schoolRanges(k) : new long[0][];
        LongPredicate def = g -> (role == null || gen.defaultHasRole(g, role))
                && (schoolId == null || gen.defaultInSchool(g, k));
        Predicate<ObjectNode> cur = u -> (role == null || hasRole(u, role)) && (schoolId == null || inSchool(u, schoolId));
        return new Sel(ranges, def, cur);
    }

    private static boolean inRanges(long g, long[][] ranges) {
        for (long[] r : ranges) {
            if (g >= r[0] && g < r[1]) {
                return true;
            }
        }
        return false;
    }

    private TreeMap<String, ObjectNode> extras(Sel sel) {
        TreeMap<String, ObjectNode> out = new TreeMap<>();
        for (Map.Entry<String, ObjectNode> e : materialized.entrySet()) {
            long g = gen.userIndex(e.getKey());
            if (g >= 0 && inRanges(g, sel.ranges())) {
                continue; // found by the scan
            }
            if (sel.current().test(e.getValue())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private ObjectNode scanOne(long g, Sel sel) {
        if (deleted.get((int) g)) {
            return null;
        }
        if (materializedGen.get((int) g)) {
            ObjectNode u = materialized.get(gen.userId(g));
            return u != null && sel.current().test(u) ? u : null;
        }
        return sel.genDefault().test(g) ? gen.user(g) : null;
    }

    /** Up to n users of sel with id &gt; after (null: from the start), ascending. */
    List<ObjectNode> usersAfter(Sel sel, String after, int n) {
        lock.readLock().lock();
        try {
            long start = after == null ? 0 : gen.firstAfter(after);
            List<ObjectNode> scanned = new ArrayList<>();
            for (long[] r : sel.ranges()) {
                for (long g = Math.max(r[0], start); g < r[1] && scanned.size() < n; g++) {
                    ObjectNode u = scanOne(g, sel);
                    if (u != null) {
                        scanned.add(u);
                    }
                }
            }
            NavigableMap<String, ObjectNode> ex = extras(sel);
            if (after != null) {
                ex = ex.tailMap(after, false);
            }
            return merge(scanned, new ArrayList<>(ex.values()), n, false);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The last n users of sel with id &lt; before (null: no bound), ascending. */
    List<ObjectNode> usersBefore(Sel sel, String before, int n) {
        lock.readLock().lock();
        try {
            long end = before == null ? gen.total : gen.firstAtOrAfter(before);
            List<ObjectNode> scanned = new ArrayList<>();
            long[][] ranges = sel.ranges();
            for (int i = ranges.length - 1; i >= 0; i--) {
                for (long g = Math.min(ranges[i][1], end) - 1; g >= ranges[i][0] && scanned.size() < n; g--) {
                    ObjectNode u = scanOne(g, sel);
                    if (u != null) {
                        scanned.add(u);
                    }
                }
            }
            NavigableMap<String, ObjectNode> ex = extras(sel);
            if (before != null) {
                ex = ex.headMap(before, false);
            }
            List<ObjectNode> out = merge(scanned, new ArrayList<>(ex.descendingMap().values()), n, true);
            Collections.reverse(out);
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static List<ObjectNode> merge(List<ObjectNode> a, List<ObjectNode> b, int n, boolean descending) {
        List<ObjectNode> out = new ArrayList<>(Math.min(n, a.size() + b.size()));
        int i = 0, j = 0;
        while (out.size() < n && (i < a.size() || j < b.size())) {
            if (j >= b.size()) {
                out.add(a.get(i++));
            } else if (i >= a.size()) {
                out.add(b.get(j++));
            } else {
                int c = a.get(i).get("id").asText().compareTo(b.get(j).get("id").asText());
                if (descending ? c > 0 : c < 0) {
                    out.add(a.get(i++));
                } else {
                    out.add(b.get(j++));
                }
            }
        }
        return out;
    }

    int countUsers(Sel sel) {
        lock.readLock().lock();
        try {
            int n = 0;
            for (long[] r : sel.ranges()) {
                for (long g = r[0]; g < r[1]; g++) {
                    if (deleted.get((int) g)) {
                        continue;
                    }
                    if (materializedGen.get((int) g)) {
                        ObjectNode u = materialized.get(gen.userId(g));
                        if (u != null && sel.current().test(u)) {
                            n++;
                        }
                    } else if (sel.genDefault().test(g)) {
                        n++;
                    }
                }
            }
            return n + extras(sel).size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The user as served now, or null (unknown or removed). */
    ObjectNode userNode(String id) {
        lock.readLock().lock();
        try {
            return currentUser(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    private ObjectNode currentUser(String id) {
        ObjectNode m = materialized.get(id);
        if (m != null) {
            return m;
        }
        long g = gen.userIndex(id);
        return g >= 0 && !deleted.get((int) g) ? gen.user(g) : null;
    }

    // ---- schools --------------------------------------------------------------------------------------

    List<ObjectNode> schoolsAfter(String after, int n) {
        lock.readLock().lock();
        try {
            return take((after == null ? schools : schools.tailMap(after, false)).values(), n);
        } finally {
            lock.readLock().unlock();
        }
    }

    List<ObjectNode> schoolsBefore(String before, int n) {
        lock.readLock().lock();
        try {
            List<ObjectNode> out = take((before == null ? schools : schools.headMap(before, false))
                    .descendingMap().values(), n);
            Collections.reverse(out);
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    ObjectNode schoolNode(String id) {
        lock.readLock().lock();
        try {
            return schools.get(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    ObjectNode districtNode() {
        return district;
    }

    private static <T> List<T> take(Iterable<T> it, int n) {
        List<T> out = new ArrayList<>();
        for (T t : it) {
            if (out.size() >= n) {
                break;
            }
            out.add(t);
        }
        return out;
    }

    // ---- events ---------------------------------------------------------------------------------------

    private void purgeLocked() {
        long cutoff = clock.millis() + eventAgeMillis - RETENTION.toMillis();
        events.values().removeIf(e -> e.createdMillis() < cutoff);
    }

    private static Predicate<Event> eventFilter(List<String> recordTypes, String school) {
        return e -> (recordTypes == null || recordTypes.isEmpty() || recordTypes.contains(e.recordType()))
                && (school == null || e.schools().contains(school));
    }

    List<Event> eventsAfter(List<String> recordTypes, String school, String after, int n) {
        lock.writeLock().lock();
        try {
            purgeLocked();
            Predicate<Event> f = eventFilter(recordTypes, school);
            List<Event> out = new ArrayList<>();
            for (Event e : (after == null ? events : events.tailMap(after, false)).values()) {
                if (out.size() >= n) {
                    break;
                }
                if (f.test(e)) {
                    out.add(e);
                }
            }
            return out;
        } finally {
            lock.writeLock().unlock();
        }
    }

    List<Event> eventsBefore(List<String> recordTypes, String school, String before, int n) {
        lock.writeLock().lock();
        try {
            purgeLocked();
            Predicate<Event> f = eventFilter(recordTypes, school);
            List<Event> out = new ArrayList<>();
            for (Event e : (before == null ? events : events.headMap(before, false)).descendingMap().values()) {
                if (out.size() >= n) {
                    break;
                }
                if (f.test(e)) {
                    out.add(e);
                }
            }
            Collections.reverse(out);
            return out;
        } finally {
            lock.writeLock().unlock();
        }
    }

    Event event(String id) {
        lock.writeLock().lock();
        try {
            purgeLocked();
            return events.get(id);
        } finally {
            lock.writeLock().unlock();
        }
    }

    int countEvents(List<String> recordTypes, String school) {
        lock.writeLock().lock();
        try {
            purgeLocked();
            return (int) events.values().stream().filter(eventFilter(recordTypes, school)).count();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void emitLocked(String type, ObjectNode object, ObjectNode previous) {
        String id = nextId();
        long created = Math.floorDiv(clock.millis(), 1000) * 1000; // events show second granularity (.000Z)
        ObjectNode e = Generator.F.objectNode();
        e.put("id", id);
        e.put("type", type);
        e.put("created", Ids.isoMillis(created));
        ObjectNode data = e.putObject("data");
        data.set("object", object.deepCopy());
        if (previous != null) {
            data.set("previous_attributes", previous);
        }
        List<String> sch = new ArrayList<>();
        if (type.startsWith("schools.")) {
            sch.add(object.get("id").asText());
        } else {
            for (JsonNode r : object.path("roles")) {
                if (r.hasNonNull("school")) {
                    sch.add(r.get("school").asText());
                }
                for (JsonNode s : r.path("schools")) {
                    sch.add(s.asText());
                }
            }
        }
        events.put(id, new Event(id, type.substring(0, type.indexOf('.')), created, e, List.copyOf(sch)));
    }

    // ---- District: read -------------------------------------------------------------------------------

    @Override
    public String id() {
        return gen.districtId;
    }

    @Override
    public Map<String, Object> asMap() {
        return Json.toMap(district);
    }

    @Override
    public DistrictSpec spec() {
        return gen.spec;
    }

    private static void checkRole(String role) {
        if (role != null && !ROLES.contains(role)) {
            throw new IllegalArgumentException("unknown role " + role + "; one of " + ROLES);
        }
    }

    @Override
    public int count(String role) {
        checkRole(role);
        return countUsers(selection(role, null));
    }

    @Override
    public List<String> userIds(String role) {
        checkRole(role);
        Sel sel = selection(role, null);
        List<String> ids = new ArrayList<>();
        String after = null;
        while (true) {
            List<ObjectNode> page = usersAfter(sel, after, 10_000);
            for (ObjectNode u : page) {
                ids.add(u.get("id").asText());
            }
            if (page.size() < 10_000) {
                return ids;
            }
            after = ids.get(ids.size() - 1);
        }
    }

    @Override
    public List<Map<String, Object>> users(String role, String after, int max) {
        checkRole(role);
        List<Map<String, Object>> out = new ArrayList<>();
        for (ObjectNode u : usersAfter(selection(role, null), after, max)) {
            out.add(Json.toMap(u));
        }
        return out;
    }

    @Override
    public Optional<Map<String, Object>> user(String id) {
        return Optional.ofNullable(userNode(id)).map(Json::toMap);
    }

    @Override
    public List<Map<String, Object>> schools() {
        lock.readLock().lock();
        try {
            List<Map<String, Object>> out = new ArrayList<>();
            for (ObjectNode s : schools.values()) {
                out.add(Json.toMap(s));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Optional<Map<String, Object>> school(String id) {
        return Optional.ofNullable(schoolNode(id)).map(Json::toMap);
    }

    @Override
    public int schoolCount() {
        lock.readLock().lock();
        try {
            return schools.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- District: mutations --------------------------------------------------------------------------

    @Override
    public String addStudent(String first, String last, String schoolId, String grade) {
        String sis = String.valueOf(800_000_000L + (nowMillis() % 100_000_000L));
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("sis_id", sis);
        st.put("student_number", sis);
        st.put("credentials", Map.of("district_username", Generator.ascii(first) + Generator.ascii(last)));
        st.put("gender", "");
        st.put("grade", grade == null ? "" : grade);
        st.put("graduation_year", "");
        st.put("hispanic_ethnicity", "");
        st.put("ell_status", "");
        st.put("race", "");
        Map<String, Object> loc = new LinkedHashMap<>();
        loc.put("address", "");
        loc.put("city", "");
        loc.put("state", "");
        loc.put("zip", "");
        st.put("location", loc);
        st.put("school", schoolId);
        st.put("schools", List.of(schoolId));
        st.put("enrollments", List.of());
        st.put("ext", Map.of());
        return addUser(Map.of("name", Map.of("first", first, "last", last), "roles", Map.of("student", st)));
    }

    @Override
    public String addTeacher(String first, String last, String schoolId) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("sis_id", "T" + (nowMillis() % 1_000_000L));
        t.put("teacher_number", "");
        t.put("title", "Teacher");
        t.put("credentials", Map.of("district_username", Generator.ascii(first) + "_" + Generator.ascii(last)));
        t.put("school", schoolId);
        t.put("schools", List.of(schoolId));
        t.put("legacy_id", nextId());
        t.put("ext", Map.of());
        String email = Generator.ascii(first) + "_" + Generator.ascii(last) + "@rollbook-demo.example.org";
        return addUser(Map.of("email", email, "name", Map.of("first", first, "last", last), "roles", Map.of("teacher", t)));
    }

    @Override
    public String addUser(Map<String, Object> user) {
        JsonNode in = Json.toNode(Objects.requireNonNull(user));
        if (!in.isObject() || !in.path("roles").isObject() || in.path("roles").isEmpty()) {
            throw new IllegalArgumentException("a user needs a non-empty roles object");
        }
        lock.writeLock().lock();
        try {
            String id = nextId();
            String now = Ids.isoMillis(clock.millis());
            ObjectNode u = Generator.F.objectNode();
            u.put("id", id);
            u.put("district", gen.districtId);
            if (in.has("email")) {
                u.set("email", in.get("email"));
            }
            u.set("name", in.has("name") ? in.get("name") : Generator.F.objectNode());
            u.put("created", now);
            u.put("last_modified", now);
            in.fields().forEachRemaining(e -> {
                if (!u.has(e.getKey()) && !e.getKey().equals("roles")) {
                    u.set(e.getKey(), e.getValue());
                }
            });
            u.set("roles", in.get("roles"));
            materialized.put(id, u);
            emitLocked("users.created", u, null);
            return id;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Applies dotted-path changes to a copy; returns the sparse previous_attributes, or null if unchanged. */
    private static ObjectNode applyChanges(ObjectNode copy, Map<String, Object> changes) {
        ObjectNode prev = Generator.F.objectNode();
        boolean changed = false;
        for (Map.Entry<String, Object> c : changes.entrySet()) {
            String[] seg = c.getKey().split("\\.");
            if (seg.length == 0 || seg[0].equals("id") || seg[0].equals("district")) {
                throw new IllegalArgumentException("cannot change " + c.getKey());
            }
            ObjectNode parent = copy;
            boolean existed = true;
            for (int i = 0; i < seg.length - 1; i++) {
                JsonNode next = parent.get(seg[i]);
                if (next == null || !next.isObject()) {
                    existed = false;
                    next = parent.putObject(seg[i]);
                }
                parent = (ObjectNode) next;
            }
            String leaf = seg[seg.length - 1];
            JsonNode old = existed ? parent.get(leaf) : null;
            JsonNode value = c.getValue() == District.REMOVE ? null
                    : c.getValue() == null ? NullNode.getInstance() : Json.toNode(c.getValue());
            if (Objects.equals(old, value)) {
                continue;
            }
            // previous_attributes mirrors the structure and keeps the first old value of each changed leaf
            ObjectNode p = prev;
            boolean covered = false;
            for (int i = 0; i < seg.length - 1; i++) {
                JsonNode n = p.get(seg[i]);
                if (n != null && !n.isObject()) {
                    covered = true;
                    break;
                }
                p = n == null ? p.putObject(seg[i]) : (ObjectNode) n;
            }
            if (!covered && !p.has(leaf)) {
                p.set(leaf, old == null ? NullNode.getInstance() : old.deepCopy());
            }
            if (value == null) {
                parent.remove(leaf);
            } else {
                parent.set(leaf, value);
            }
            changed = true;
        }
        return changed ? prev : null;
    }

    @Override
    public boolean updateUser(String id, Map<String, Object> changes) {
        lock.writeLock().lock();
        try {
            ObjectNode cur = currentUser(id);
            if (cur == null) {
                return false;
            }
            ObjectNode copy = cur.deepCopy();
            ObjectNode prev = applyChanges(copy, changes);
            if (prev == null) {
                return true;
            }
            if (!copy.path("roles").isObject() || copy.path("roles").isEmpty()) {
                throw new IllegalArgumentException("a user needs at least one role");
            }
            copy.put("last_modified", Ids.isoMillis(clock.millis()));
            materialized.put(id, copy);
            long g = gen.userIndex(id);
            if (g >= 0) {
                materializedGen.set((int) g);
            }
            emitLocked("users.updated", copy, prev);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public boolean removeUser(String id) {
        lock.writeLock().lock();
        try {
            ObjectNode cur = currentUser(id);
            if (cur == null) {
                return false;
            }
            materialized.remove(id);
            long g = gen.userIndex(id);
            if (g >= 0) {
                deleted.set((int) g);
                materializedGen.clear((int) g);
            }
            emitLocked("users.deleted", cur, null);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String addSchool(String name) {
        lock.writeLock().lock();
        try {
            String id = nextId();
            String now = Ids.isoMillis(clock.millis());
            ObjectNode s = Generator.F.objectNode();
            s.put("id", id);
            s.put("district", gen.districtId);
            s.put("name", Objects.requireNonNull(name));
            String num = "N" + id.substring(18);
            s.put("school_number", num);
            s.put("sis_id", num);
            s.put("state_id", "");
            s.put("phone", "");
            s.put("low_grade", "Kindergarten");
            s.put("high_grade", "12");
            ObjectNode loc = s.putObject("location");
            loc.put("address", "");
            loc.put("city", "");
            loc.put("state", "");
            loc.put("zip", "");
            ObjectNode p = s.putObject("principal");
            p.put("name", "");
            p.put("email", "");
            s.putObject("ext");
            s.put("created", now);
            s.put("last_modified", now);
            schools.put(id, s);
            emitLocked("schools.created", s, null);
            return id;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public boolean updateSchool(String id, Map<String, Object> changes) {
        lock.writeLock().lock();
        try {
            ObjectNode cur = schools.get(id);
            if (cur == null) {
                return false;
            }
            ObjectNode copy = cur.deepCopy();
            ObjectNode prev = applyChanges(copy, changes);
            if (prev == null) {
                return true;
            }
            copy.put("last_modified", Ids.isoMillis(clock.millis()));
            schools.put(id, copy);
            emitLocked("schools.updated", copy, prev);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public boolean removeSchool(String id) {
        lock.writeLock().lock();
        try {
            ObjectNode cur = schools.remove(id);
            if (cur == null) {
                return false;
            }
            emitLocked("schools.deleted", cur, null);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void ageEvents(Duration age) {
        lock.writeLock().lock();
        try {
            eventAgeMillis += age.toMillis();
            purgeLocked();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public int eventCount() {
        return countEvents(null, null);
    }

    @Override
    public Optional<String> lastEventId() {
        List<Event> last = eventsBefore(null, null, null, 1);
        return last.isEmpty() ? Optional.empty() : Optional.of(last.get(0).id());
    }

    /** Contacts of a student / students of a contact / teachers of a student (generated relationships only
     *  for teachers: the teachers of the student's school). */
    List<ObjectNode> related(ObjectNode user, String rel) {
        List<ObjectNode> out = new ArrayList<>();
        JsonNode roles = user.path("roles");
        switch (rel) {
            case "mystudents":
                for (JsonNode r : roles.path("contact").path("student_relationships")) {
                    ObjectNode s = userNode(r.path("student").asText());
                    if (s != null) {
                        out.add(s);
                    }
                }
                break;
            case "mycontacts": {
                long g = gen.userIndex(user.get("id").asText());
                if (g >= 0 && gen.isStudent(g)) {
                    for (long c : gen.contactsOfStudent(g)) {
                        ObjectNode cn = userNode(gen.userId(c));
                        if (cn != null) {
                            out.add(cn);
                        }
                    }
                }
                break;
            }
            default:
                break;
        }
        out.sort((a, b) -> a.get("id").asText().compareTo(b.get("id").asText()));
        return out;
    }

    static ArrayNode array() {
        return Generator.F.arrayNode();
    }
}
