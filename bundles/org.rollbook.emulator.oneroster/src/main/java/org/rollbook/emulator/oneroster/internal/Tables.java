package org.rollbook.emulator.oneroster.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

import org.rollbook.emulator.oneroster.Role;
import org.rollbook.emulator.oneroster.RosterOrg;
import org.rollbook.emulator.oneroster.RosterUser;
import org.rollbook.emulator.oneroster.UserId;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Collections as position-addressed tables in sourcedId order; rows are derived on demand. */
final class Tables {

    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final ObjectMapper M = new ObjectMapper();
    static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    static final String BASELINE = ISO.format(Gen.BASELINE);
    static final String SCHOOL_YEAR = "2026", TERM = "2026-FY", COURSE = "HR";

    private Tables() {}

    static String iso(Instant t) { return t == null ? "" : ISO.format(t); }

    /** Rendering context: version and the href root. */
    record Render(boolean v12, String hrefBase) {
        ObjectNode ref(String coll, String id, String type) {
            ObjectNode n = F.objectNode();
            n.put("href", hrefBase + "/" + coll + "/" + id);
            n.put("sourcedId", id);
            n.put("type", type);
            return n;
        }
    }

    interface Row {
        String id();

        /** A top-level scalar field as a string, or null when it is not a scalar (use json()). */
        String scalar(String field);

        ObjectNode json(Render r);
    }

    abstract static class Table {
        final String plural, singular;

        Table(String plural, String singular) { this.plural = plural; this.singular = singular; }

        abstract int size();

        abstract Row at(int pos);

        abstract Row get(String id);

        /** True when some positions are empty (purged). */
        abstract boolean holes();

        abstract Set<String> fields(boolean v12);

        /** False when position order is not sourcedId order (custom ids appended): queries then sort by sourcedId. */
        boolean ordered() { return true; }
    }

    // ------------------------------------------------------------------ users

    static final Set<String> USER_FIELDS_11 = Set.of("sourcedId", "status", "dateLastModified", "metadata", "username",
            "userIds", "enabledUser", "givenName", "familyName", "middleName", "role", "identifier", "email", "sms",
            "phone", "agents", "orgs", "grades", "password");
    static final Set<String> USER_FIELDS_12 = Set.of("sourcedId", "status", "dateLastModified", "metadata",
            "userMasterIdentifier", "username", "userIds", "enabledUser", "givenName", "familyName", "middleName",
            "preferredFirstName", "preferredMiddleName", "preferredLastName", "pronouns", "roles", "userProfiles",
            "primaryOrg", "identifier", "email", "sms", "phone", "agents", "grades", "password", "resources");

    static final class UserRow implements Row {
        final DistrictImpl d; final int kind, index; RosterUser u;

        UserRow(DistrictImpl d, int kind, int index, RosterUser u) { this.d = d; this.kind = kind; this.index = index; this.u = u; }

        RosterUser user() { if (u == null) u = d.userAt(kind, index); return u; }

        @Override public String id() { return Gen.userId(kind, index); }

        @Override
        public String scalar(String f) {
            if (u == null && d.pristine(kind, index)) {
                switch (f) {
                    case "sourcedId": return id();
                    case "status": return "active";
                    case "dateLastModified": return BASELINE;
                    case "role": return d.gen.role(kind, index).wire();
                    default:
                        String g = d.gen.scalar(kind, index, f);
                        if (g != null) return g;
                        break;
                }
            }
            return userScalar(user(), f);
        }

        @Override
        public ObjectNode json(Render r) { return userJson(user(), r, d); }
    }

    /** A user added with a caller-chosen sourcedId. */
    record ExtraUserRow(DistrictImpl d, RosterUser u) implements Row {
        @Override public String id() { return u.sourcedId(); }

        @Override public String scalar(String f) { return userScalar(u, f); }

        @Override public ObjectNode json(Render r) { return userJson(u, r, d); }
    }

    static String userScalar(RosterUser x, String f) {
            return switch (f) {
                case "sourcedId" -> x.sourcedId();
                case "status" -> x.status();
                case "dateLastModified" -> iso(x.dateLastModified());
                case "role" -> x.role().wire();
                case "username" -> x.username();
                case "enabledUser" -> Boolean.toString(x.enabledUser());
                case "givenName" -> x.givenName();
                case "familyName" -> x.familyName();
                case "middleName" -> x.middleName();
                case "identifier" -> x.identifier();
                case "email" -> x.email();
                case "sms" -> x.sms();
                case "phone" -> x.phone();
                case "password" -> "";
                case "userMasterIdentifier", "preferredFirstName", "preferredMiddleName", "preferredLastName", "pronouns" -> "";
                default -> null;
            };
    }

    static String role12(RosterUser u, DistrictImpl d) {
        if (u.role() == Role.ADMINISTRATOR) {
            return u.orgIds().contains(d.districtOrgId()) ? "districtAdministrator" : "siteAdministrator";
        }
        return u.role().wire();
    }

    static ObjectNode userJson(RosterUser u, Render r, DistrictImpl d) {
        ObjectNode n = F.objectNode();
        n.put("sourcedId", u.sourcedId());
        n.put("status", u.status());
        n.put("dateLastModified", iso(u.dateLastModified()));
        if (r.v12()) { n.putObject("metadata"); n.put("userMasterIdentifier", ""); }
        n.put("username", u.username());
        ArrayNode ids = n.putArray("userIds");
        for (UserId i : u.userIds()) ids.addObject().put("type", i.type()).put("identifier", i.identifier());
        n.put("enabledUser", Boolean.toString(u.enabledUser()));
        n.put("givenName", u.givenName());
        n.put("familyName", u.familyName());
        n.put("middleName", u.middleName());
        if (r.v12()) {
            n.put("preferredFirstName", "");
            n.put("preferredMiddleName", "");
            n.put("preferredLastName", "");
            n.put("pronouns", "");
            ArrayNode roles = n.putArray("roles");
            boolean first = true;
            for (String org : u.orgIds()) {
                ObjectNode ro = roles.addObject();
                ro.put("roleType", first ? "primary" : "secondary");
                ro.put("role", role12(u, d));
                ro.set("org", r.ref("orgs", org, "org"));
                first = false;
            }
            n.putArray("userProfiles");
            if (!u.orgIds().isEmpty()) n.set("primaryOrg", r.ref("orgs", u.orgIds().get(0), "org"));
        } else {
            n.put("role", u.role().wire());
        }
        n.put("identifier", u.identifier());
        n.put("email", u.email());
        n.put("sms", u.sms());
        n.put("phone", u.phone());
        ArrayNode agents = n.putArray("agents");
        for (String a : u.agentIds()) if (!d.purged.contains(a)) agents.add(r.ref("users", a, "user")); // no dangling refs after a purge
        if (!r.v12()) {
            ArrayNode orgs = n.putArray("orgs");
            for (String o : u.orgIds()) orgs.add(r.ref("orgs", o, "org"));
        }
        ArrayNode g = n.putArray("grades");
        for (String s : u.grades()) g.add(s);
        n.put("password", "");
        if (r.v12()) n.putArray("resources");
        return n;
    }

    /** All users in id order: students, teachers, administrators, parents/guardians. */
    static final class Users extends Table {
        final DistrictImpl d;

        Users(DistrictImpl d) { super("users", "user"); this.d = d; }

        int start(int kind) {
            int s = 0;
            for (int k = 0; k < kind; k++) s += d.size(k);
            return s;
        }

        @Override int size() { return start(4) + d.extraIds.length; }

        @Override
        Row at(int pos) {
            for (int k = 0; k < 4; k++) {
                int n = d.size(k);
                if (pos < n) return row(k, pos);
                pos -= n;
            }
            String[] ex = d.extraIds;
            if (pos < ex.length) {
                RosterUser u = d.extras.get(ex[pos]);
                return u == null ? null : new ExtraUserRow(d, u);
            }
            return null;
        }

        @Override boolean ordered() { return d.extras.isEmpty(); }

        Row row(int kind, int index) {
            if (d.pristine(kind, index)) return new UserRow(d, kind, index, null);
            RosterUser u = d.userAt(kind, index);
            return u == null ? null : new UserRow(d, kind, index, u);
        }

        @Override
        Row get(String id) {
            long k = Gen.parseUserId(id);
            if (k < 0) {
                RosterUser u = id == null ? null : d.extras.get(id);
                return u == null ? null : new ExtraUserRow(d, u);
            }
            return ((int) k) < d.size((int) (k >>> 32)) ? row((int) (k >>> 32), (int) k) : null;
        }

        @Override boolean holes() { return !d.purged.isEmpty(); }

        @Override Set<String> fields(boolean v12) { return v12 ? USER_FIELDS_12 : USER_FIELDS_11; }
    }

    // ------------------------------------------------------------------ orgs

    static final Set<String> ORG_FIELDS = Set.of("sourcedId", "status", "dateLastModified", "metadata", "name", "type",
            "identifier", "parent", "children");

    static final class Orgs extends Table {
        final DistrictImpl d;

        Orgs(DistrictImpl d) { super("orgs", "org"); this.d = d; }

        @Override int size() { return d.orgCount(); }

        @Override
        Row at(int pos) {
            RosterOrg o = d.orgAt(pos);
            return o == null ? null : new OrgRow(d, o);
        }

        @Override
        Row get(String id) { int i = Gen.parseOrgId(id); return i < 0 ? null : at(i); }

        @Override boolean holes() { return !d.purged.isEmpty(); }

        @Override Set<String> fields(boolean v12) { return ORG_FIELDS; }
    }

    record OrgRow(DistrictImpl d, RosterOrg o) implements Row {
        @Override public String id() { return o.sourcedId(); }

        @Override
        public String scalar(String f) {
            return switch (f) {
                case "sourcedId" -> o.sourcedId();
                case "status" -> o.status();
                case "dateLastModified" -> iso(o.dateLastModified());
                case "name" -> o.name();
                case "type" -> o.type();
                case "identifier" -> o.identifier();
                default -> null;
            };
        }

        @Override
        public ObjectNode json(Render r) {
            ObjectNode n = F.objectNode();
            n.put("sourcedId", o.sourcedId());
            n.put("status", o.status());
            n.put("dateLastModified", iso(o.dateLastModified()));
            n.put("name", o.name());
            n.put("type", o.type());
            n.put("identifier", o.identifier());
            if (o.parentId() != null) n.set("parent", r.ref("orgs", o.parentId(), "org"));
            ArrayNode ch = n.putArray("children");
            if ("district".equals(o.type())) for (String s : d.schoolIds()) ch.add(r.ref("orgs", s, "org"));
            return n;
        }
    }

    // ------------------------------------------------------------------ classes

    static final Set<String> CLASS_FIELDS = Set.of("sourcedId", "status", "dateLastModified", "metadata", "title",
            "classCode", "classType", "location", "grades", "subjects", "subjectCodes", "periods", "course", "school",
            "terms", "resources");

    static final class Classes extends Table {
        final DistrictImpl d;

        Classes(DistrictImpl d) { super("classes", "class"); this.d = d; }

        @Override int size() { return d.gen.spec.teachers(); }

        @Override Row at(int pos) { return pos < 0 || pos >= size() ? null : new ClassRow(d, pos); }

        @Override Row get(String id) { int t = d.classTeacher(id); return t < 0 ? null : at(t); }

        @Override boolean holes() { return false; }

        @Override Set<String> fields(boolean v12) { return CLASS_FIELDS; }
    }

    record ClassRow(DistrictImpl d, int t) implements Row {
        @Override public String id() { return DistrictImpl.classId(t); }

        String schoolId() { return Gen.orgId(d.gen.teacherSchool(t) + 1); }

        String title() {
            RosterUser u = d.userAt(Gen.TEACHER, t);
            return "Homeroom " + (u == null ? d.gen.teacher(t) : u).familyName();
        }

        @Override
        public String scalar(String f) {
            return switch (f) {
                case "sourcedId" -> id();
                case "status" -> "active";
                case "dateLastModified" -> BASELINE;
                case "title" -> title();
                case "classCode" -> "";
                case "classType" -> "homeroom";
                case "location" -> "Room " + (100 + t % 300);
                default -> null;
            };
        }

        @Override
        public ObjectNode json(Render r) {
            ObjectNode n = F.objectNode();
            n.put("sourcedId", id());
            n.put("status", "active");
            n.put("dateLastModified", BASELINE);
            n.put("title", title());
            n.put("classCode", "");
            n.put("classType", "homeroom");
            n.put("location", scalar("location"));
            n.putArray("grades");
            n.putArray("subjects");
            n.putArray("subjectCodes");
            n.putArray("periods");
            n.set("course", r.ref("courses", COURSE, "course"));
            n.set("school", r.ref("orgs", schoolId(), "org"));
            n.putArray("terms").add(r.ref("academicSessions", TERM, "academicSession"));
            n.putArray("resources");
            return n;
        }
    }

    // ------------------------------------------------------------------ enrollments

    static final Set<String> ENROLLMENT_FIELDS = Set.of("sourcedId", "status", "dateLastModified", "metadata", "user",
            "class", "school", "role", "primary", "beginDate", "endDate");

    /** One homeroom enrollment per generated student (role student) and per teacher (role teacher, primary). */
    static final class Enrollments extends Table {
        final DistrictImpl d;

        Enrollments(DistrictImpl d) { super("enrollments", "enrollment"); this.d = d; }

        @Override int size() { return d.gen.spec.students() + d.gen.spec.teachers(); }

        @Override
        Row at(int pos) {
            int ns = d.gen.spec.students();
            int kind = pos < ns ? Gen.STUDENT : Gen.TEACHER;
            int i = pos < ns ? pos : pos - ns;
            if (i < 0 || i >= d.gen.count(kind)) return null;
            int t = kind == Gen.STUDENT ? d.gen.homeroomTeacher(i) : i;
            if (t < 0) return null;
            if (!d.pristine(kind, i) && d.userAt(kind, i) == null) return null;
            return new EnrollmentRow(d, kind, i, t);
        }

        @Override
        Row get(String id) {
            if (id == null || !id.startsWith("en")) return null;
            long k = Gen.parseUserId(id.substring(2));
            if (k < 0) return null;
            int kind = (int) (k >>> 32), i = (int) k;
            if (kind == Gen.STUDENT) return i < d.gen.spec.students() ? at(i) : null;
            if (kind == Gen.TEACHER) return i < d.gen.spec.teachers() ? at(d.gen.spec.students() + i) : null;
            return null;
        }

        @Override boolean holes() { return !d.purged.isEmpty() || d.gen.spec.teachers() == 0; }

        @Override Set<String> fields(boolean v12) { return ENROLLMENT_FIELDS; }
    }

    record EnrollmentRow(DistrictImpl d, int kind, int i, int t) implements Row {
        @Override public String id() { return "en" + Gen.userId(kind, i); }

        RosterUser user() { return d.userAt(kind, i); }

        @Override
        public String scalar(String f) {
            boolean pristine = d.pristine(kind, i);
            return switch (f) {
                case "sourcedId" -> id();
                case "status" -> pristine ? "active" : user().status();
                case "dateLastModified" -> pristine ? BASELINE : iso(user().dateLastModified());
                case "role" -> kind == Gen.STUDENT ? "student" : "teacher";
                case "primary" -> kind == Gen.TEACHER ? "true" : "false";
                case "beginDate" -> "2025-09-02";
                case "endDate" -> "2026-06-20";
                default -> null;
            };
        }

        @Override
        public ObjectNode json(Render r) {
            ObjectNode n = F.objectNode();
            n.put("sourcedId", id());
            n.put("status", scalar("status"));
            n.put("dateLastModified", scalar("dateLastModified"));
            n.set("user", r.ref("users", Gen.userId(kind, i), "user"));
            n.set("class", r.ref("classes", DistrictImpl.classId(t), "class"));
            n.set("school", r.ref("orgs", Gen.orgId(d.gen.teacherSchool(t) + 1), "org"));
            n.put("role", scalar("role"));
            n.put("primary", scalar("primary"));
            n.put("beginDate", scalar("beginDate"));
            n.put("endDate", scalar("endDate"));
            return n;
        }
    }

    // ------------------------------------------------------------------ demographics

    static final Set<String> DEMO_FIELDS = Set.of("sourcedId", "status", "dateLastModified", "metadata", "birthDate",
            "sex", "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
            "nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces",
            "hispanicOrLatinoEthnicity", "countryOfBirthCode", "stateOfBirthAbbreviation", "cityOfBirth",
            "publicSchoolResidenceStatus");
    static final String[] RACES = { "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
            "nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces" };

    /** Demographics of students (same sourcedId as the user, ref §2.2). */
    static final class Demographics extends Table {
        final DistrictImpl d;

        Demographics(DistrictImpl d) { super("demographics", "demographics"); this.d = d; }

        @Override int size() { return d.size(Gen.STUDENT); }

        @Override
        Row at(int pos) {
            RosterUser u = d.userAt(Gen.STUDENT, pos);
            return u == null || u.birthDate() == null ? null : new DemoRow(d, u);
        }

        @Override
        Row get(String id) {
            long k = Gen.parseUserId(id);
            return k < 0 || (k >>> 32) != Gen.STUDENT ? null : at((int) k);
        }

        @Override boolean holes() { return !d.purged.isEmpty() || d.studentsAdded(); }

        @Override Set<String> fields(boolean v12) { return DEMO_FIELDS; }
    }

    record DemoRow(DistrictImpl d, RosterUser u) implements Row {
        @Override public String id() { return u.sourcedId(); }

        @Override
        public String scalar(String f) {
            return switch (f) {
                case "sourcedId" -> u.sourcedId();
                case "status" -> u.status();
                case "dateLastModified" -> iso(u.dateLastModified());
                case "birthDate" -> u.birthDate() == null ? "" : u.birthDate().toString();
                case "sex" -> u.sex() == null ? "" : u.sex();
                default -> {
                    var n = json(new Render(false, ""));
                    yield n.has(f) && n.get(f).isValueNode() ? n.get(f).asText() : null;
                }
            };
        }


        @Override
        public ObjectNode json(Render r) {
            ObjectNode n = F.objectNode();
            n.put("sourcedId", u.sourcedId());
            n.put("status", u.status());
            n.put("dateLastModified", iso(u.dateLastModified()));
            n.put("birthDate", u.birthDate() == null ? "" : u.birthDate().toString());
            n.put("sex", u.sex() == null ? "" : u.sex());
            int race = d.gen.race(u.sourcedId());
            for (int k = 0; k < RACES.length; k++) n.put(RACES[k], Boolean.toString(k == race));
            n.put("hispanicOrLatinoEthnicity", Boolean.toString(d.gen.hispanic(u.sourcedId())));
            n.put("countryOfBirthCode", race == 1 && d.gen.hispanic(u.sourcedId()) ? "" : "US");
            n.put("stateOfBirthAbbreviation", "");
            n.put("cityOfBirth", "");
            n.put("publicSchoolResidenceStatus", "");
            return n;
        }
    }

    // ------------------------------------------------------------------ static tables

    record StaticRow(ObjectNode n) implements Row {
        @Override public String id() { return n.get("sourcedId").asText(); }

        @Override
        public String scalar(String f) {
            var v = n.get(f);
            return v != null && v.isValueNode() ? v.asText() : null;
        }

        @Override public ObjectNode json(Render r) { return n.deepCopy(); }
    }

    static final class StaticTable extends Table {
        final List<ObjectNode> rows;
        final Set<String> fields;

        StaticTable(String plural, String singular, List<ObjectNode> rows, Set<String> fields) {
            super(plural, singular);
            this.rows = rows;
            this.fields = fields;
        }

        @Override int size() { return rows.size(); }

        @Override Row at(int pos) { return new StaticRow(rows.get(pos)); }

        @Override
        Row get(String id) {
            for (ObjectNode n : rows) if (n.get("sourcedId").asText().equals(id)) return new StaticRow(n);
            return null;
        }

        @Override boolean holes() { return false; }

        @Override Set<String> fields(boolean v12) { return fields; }
    }

    static final Set<String> SESSION_FIELDS = Set.of("sourcedId", "status", "dateLastModified", "metadata", "title",
            "startDate", "endDate", "type", "parent", "children", "schoolYear");
    static final Set<String> COURSE_FIELDS = Set.of("sourcedId", "status", "dateLastModified", "metadata", "title",
            "schoolYear", "courseCode", "grades", "subjects", "subjectCodes", "org", "resources");

    static StaticTable sessions(Render r) {
        ObjectNode y = F.objectNode();
        y.put("sourcedId", SCHOOL_YEAR).put("status", "active").put("dateLastModified", BASELINE)
                .put("title", "2025-2026").put("startDate", "2025-07-01").put("endDate", "2026-07-01")
                .put("type", "schoolYear");
        y.putArray("children").add(r.ref("academicSessions", TERM, "academicSession"));
        y.put("schoolYear", "2026");
        ObjectNode t = F.objectNode();
        t.put("sourcedId", TERM).put("status", "active").put("dateLastModified", BASELINE)
                .put("title", "Full Year 2025-2026").put("startDate", "2025-09-02").put("endDate", "2026-06-20")
                .put("type", "term");
        t.set("parent", r.ref("academicSessions", SCHOOL_YEAR, "academicSession"));
        t.putArray("children");
        t.put("schoolYear", "2026");
        return new StaticTable("academicSessions", "academicSession", List.of(y, t), SESSION_FIELDS);
    }

    static StaticTable courses(Render r, String districtId) {
        ObjectNode c = F.objectNode();
        c.put("sourcedId", COURSE).put("status", "active").put("dateLastModified", BASELINE).put("title", "Homeroom");
        c.set("schoolYear", r.ref("academicSessions", SCHOOL_YEAR, "academicSession"));
        c.put("courseCode", "HR");
        c.putArray("grades");
        c.putArray("subjects");
        c.putArray("subjectCodes");
        c.set("org", r.ref("orgs", districtId, "org"));
        c.putArray("resources");
        return new StaticTable("courses", "course", List.of(c), COURSE_FIELDS);
    }
}
