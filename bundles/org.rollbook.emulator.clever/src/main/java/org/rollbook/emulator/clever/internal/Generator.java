package org.rollbook.emulator.clever.internal;

import java.text.Normalizer;
import java.util.Locale;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.rollbook.emulator.clever.DistrictSpec;

/**
 * Derives every generated object from (seed, index) on demand, so a 1,000,000-student district costs no heap.
 *
 * <p>Global user index layout, ascending ID order: district admins, teachers, staff, students, contacts.
 * Students and teachers are assigned to schools in contiguous blocks; staff and admins by formula.
 * Multi-role users: every 10th teacher is also staff; the first district admin is also staff.
 */
final class Generator {
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    static final String[] GRADES = {"InfantToddler", "Preschool", "PreKindergarten", "TransitionalKindergarten",
        "Kindergarten", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "PostGraduate",
        "Ungraded", "Other", ""};
    private static final String[] FIRST = {"Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sofía", "José",
        "María", "Zoë", "Chloé", "Renée", "Søren", "Björn", "Siobhán", "Niamh", "Łukasz", "François", "Aarav",
        "Priya", "Mohammed", "Fatima", "Wei", "Mei", "Jae-won", "Min-jun", "Ngozi", "Chidi", "Ingrid", "Astrid",
        "Dmitri", "Anaïs", "Joaquín", "Inés", "Malik", "Aaliyah", "Ethan", "Isabella", "Lucas", "Mia", "Henry",
        "Harper", "Elijah", "Amelia", "James", "Evelyn", "Benjamin", "Abigail", "Logan", "Emily", "Ximena",
        "Thảo", "Anh", "Kofi", "Ayşe", "Élodie", "Raphaël", "Nuño", "小明", "美玲"};
    private static final String[] LAST = {"Smith", "Johnson", "Williams", "Brown", "Jones", "García", "Miller",
        "Davis", "Rodríguez", "Martínez", "Hernández", "López", "González", "Núñez", "Peña", "Ibáñez", "Müller",
        "Schröder", "Øvergaard", "Ødegård", "Johansson", "O'Brien", "D'Angelo", "MacLeod", "St. John",
        "van der Berg", "Smith-Jones", "Nguyễn", "Trần", "Kowalski", "Wiśniewski", "Dubois", "Lefèvre", "Okafor",
        "Adeyemi", "Patel", "Singh", "Kim", "Park", "Wang", "Chen", "李", "王", "张", "Yılmaz", "Brontë",
        "Ziemann", "Wisoky", "Plant", "Berge", "Thompson", "Anderson", "Taylor", "Moore", "Jackson", "White"};
    private static final String[] MIDDLE = {"A", "B", "C", "D", "E", "G", "J", "K", "L", "M", "R", "S", "T",
        "Marie", "Lee", "Ann", "José"};
    private static final String[] RACES = {"Caucasian", "Asian", "Black or African American", "American Indian",
        "Hawaiian or Other Pacific Islander", "Two or More Races", "Unknown", ""};
    private static final String[] GENDERS = {"M", "F", "M", "F", "M", "F", "X", ""};
    private static final String[] TEACHER_TITLES = {"High School Arts Teacher", "3rd Grade Teacher",
        "Math Teacher", "Science Teacher", "English Teacher", "Music Teacher", "PE Teacher", "Teacher", ""};
    private static final String[] STAFF_TITLES = {"Librarian", "Library Media Specialist", "Principal",
        "Assistant Principal", "Counselor", "Office Manager", "Nurse", "IT Coordinator", ""};
    private static final String[] DEPARTMENTS = {"Media Center", "Administration", "Counseling", "Health",
        "Technology", ""};
    private static final String[] RELATIONSHIPS = {"Parent", "Parent", "Parent", "Grandparent", "Aunt/Uncle",
        "Sibling", "Self", "Other", ""};
    private static final String[] CONTACT_TYPES = {"Parent/Guardian", "Parent/Guardian", "Emergency", "Primary",
        "Secondary", "Family", "Other", ""};
    private static final String[] PHONE_TYPES = {"Cell", "Home", "Work", "Other", ""};
    private static final String[] CITIES = {"Brooklyn", "Springfield", "Riverside", "Fairview", "Madison",
        "Georgetown", "Salem", "Española", "Cañon City"};
    private static final String[] STREETS = {"Pineapple Street", "Main Street", "Oak Avenue", "Maple Drive",
        "Cedar Lane", "Elm Street", "Avenida del Sol", "Park Road"};
    private static final String[] SCHOOL_NAMES = {"Pineapple", "Lincoln", "Washington", "Roosevelt", "Jefferson",
        "Cesar Chavez", "Sojourner Truth", "Riverside", "Hillcrest", "Lakeview", "Oakwood", "Peña Blanca",
        "Maplewood", "Sunnyside", "Brookside", "Eastside"};
    private static final String[] SCHOOL_KINDS = {"Elementary School", "Middle School", "High School",
        "K-8 Academy", "Early Learning Center"};

    final long seed;
    final DistrictSpec spec;
    final int machine;
    final long t0; // epoch seconds of the first generated user
    final String districtId;
    final long adminLo, teacherLo, staffLo, studentLo, contactLo, total;
    final int families;

    Generator(long seed, DistrictSpec spec) {
        this.seed = seed;
        this.spec = spec;
        this.machine = (int) (Ids.mix(seed ^ 0x5EED) & 0xFFFFF0L); // low nibble 0: generated data
        this.t0 = 1_672_531_200L + Math.floorMod(Ids.mix(seed), 180L * 86_400L); // 2023-01-01 + up to 180 days
        this.districtId = Ids.objectId(t0 - 7 * 86_400L, machine, 0);
        this.adminLo = 0;
        this.teacherLo = adminLo + spec.districtAdmins();
        this.staffLo = teacherLo + spec.teachers();
        this.studentLo = staffLo + spec.staff();
        this.contactLo = studentLo + spec.students();
        this.total = contactLo + spec.contacts();
        this.families = (spec.students() + 1) / 2;
    }

    // ---- IDs -------------------------------------------------------------------------------------------

    String userId(long g) {
        return Ids.objectId(t0 + g / 500, machine, g);
    }

    /** The generated index of {@code id}, or -1 if it is not a generated user ID. */
    long userIndex(String id) {
        if (!Ids.isObjectId(id) || Ids.machine(id) != machine) {
            return -1;
        }
        long g = Ids.counter(id);
        return g < total && userId(g).equals(id) ? g : -1;
    }

    /** The smallest g with userId(g) &gt; id (string order); total if none. */
    long firstAfter(String id) {
        long lo = 0, hi = total;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (userId(mid).compareTo(id) > 0) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The smallest g with userId(g) &gt;= id; total if none. */
    long firstAtOrAfter(String id) {
        long lo = 0, hi = total;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (userId(mid).compareTo(id) >= 0) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    String schoolId(int k) {
        return Ids.objectId(t0 - 3_600L, machine | 1, k);
    }

    int schoolIndex(String id) {
        if (!Ids.isObjectId(id) || Ids.machine(id) != (machine | 1)) {
            return -1;
        }
        long k = Ids.counter(id);
        return k < spec.schools() && schoolId((int) k).equals(id) ? (int) k : -1;
    }

    private String legacyId(long g) {
        return Ids.objectId(t0 - 5L * 365 * 86_400L + g / 1000, machine | 2, g);
    }

    // ---- roles and schools by index -------------------------------------------------------------------

    boolean isAdmin(long g) {
        return g >= adminLo && g < teacherLo;
    }

    boolean isTeacher(long g) {
        return g >= teacherLo && g < staffLo;
    }

    boolean isStaffOnly(long g) {
        return g >= staffLo && g < studentLo;
    }

    boolean isStudent(long g) {
        return g >= studentLo && g < contactLo;
    }

    boolean isContact(long g) {
        return g >= contactLo && g < total;
    }

    boolean defaultHasRole(long g, String role) {
        switch (role) {
            case "student":
                return isStudent(g);
            case "teacher":
                return isTeacher(g);
            case "district_admin":
                return isAdmin(g);
            case "contact":
                return isContact(g);
            case "staff":
                return isStaffOnly(g) || (isTeacher(g) && (g - teacherLo) % 10 == 0) || g == adminLo && isAdmin(g);
            default:
                return false;
        }
    }

    /** [lo, hi) index ranges that may hold users with {@code role} by default (role null: everyone). */
    long[][] roleRanges(String role) {
        if (role == null) {
            return new long[][] {{0, total}};
        }
        switch (role) {
            case "student":
                return new long[][] {{studentLo, contactLo}};
            case "teacher":
                return new long[][] {{teacherLo, staffLo}};
            case "district_admin":
                return new long[][] {{adminLo, teacherLo}};
            case "contact":
                return new long[][] {{contactLo, total}};
            case "staff":
                return new long[][] {{adminLo, studentLo}};
            default:
                return new long[0][];
        }
    }

    int studentSchool(long g) {
        return (int) ((g - studentLo) * spec.schools() / spec.students());
    }

    int teacherSchool(long g) {
        return (int) ((g - teacherLo) * spec.schools() / spec.teachers());
    }

    int staffSchool(long g) {
        return (int) ((g - staffLo) * spec.schools() / spec.staff());
    }

    /** Staff-only users with (index % 4 == 0) work at a second school. */
    int staffSecondSchool(long g) {
        return spec.schools() > 1 && (g - staffLo) % 4 == 0 ? (staffSchool(g) + 1) % spec.schools() : -1;
    }

    /** Index ranges of generated users that (by default) belong to school k, ascending. */
    long[][] schoolRanges(int k) {
        int n = spec.schools();
        long tLo = teacherLo + ceilDiv((long) k * spec.teachers(), n);
        long tHi = teacherLo + ceilDiv((long) (k + 1) * spec.teachers(), n);
        long sLo = studentLo + ceilDiv((long) k * spec.students(), n);
        long sHi = studentLo + ceilDiv((long) (k + 1) * spec.students(), n);
        return new long[][] {{adminLo, teacherLo}, {tLo, tHi}, {staffLo, studentLo}, {sLo, sHi}};
    }

    /** Does generated user g (unchanged) belong to school k (through any role)? */
    boolean defaultInSchool(long g, int k) {
        if (isStudent(g)) {
            return studentSchool(g) == k;
        }
        if (isTeacher(g)) {
            return teacherSchool(g) == k;
        }
        if (isStaffOnly(g)) {
            return staffSchool(g) == k || staffSecondSchool(g) == k;
        }
        if (isAdmin(g)) {
            return g == adminLo && k == 0;
        }
        return false;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    // ---- objects --------------------------------------------------------------------------------------

    private SplittableRandom rng(long salt, long i) {
        return new SplittableRandom(Ids.mix(seed * 0x9E3779B97F4A7C15L + salt * 0xC2B2AE3D27D4EB4FL + i));
    }

    private static <T> T pick(SplittableRandom r, T[] a) {
        return a[r.nextInt(a.length)];
    }

    static String ascii(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L").replace("đ", "d")
                .replace("Đ", "D");
        StringBuilder sb = new StringBuilder();
        for (char c : n.toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }

    private static String emailPart(String name, String fallback) {
        String a = ascii(name);
        return a.isEmpty() ? fallback : a;
    }

    ObjectNode district() {
        SplittableRandom r = rng(1, 0);
        ObjectNode d = F.objectNode();
        d.put("id", districtId);
        d.put("name", "#DEMO Rollbook Unified School District " + (Math.floorMod(seed, 900) + 100));
        d.put("portal_url", "https://clever.com/in/rollbook-demo-" + districtId.substring(12));
        d.put("sis_type", "sftp");
        d.put("state", "running");
        d.put("error", "");
        d.put("last_sync", Ids.isoMillis((t0 + 86_400L * 30) * 1000 + r.nextInt(1000)));
        d.put("launch_date", java.time.LocalDate.ofEpochDay((t0 - 7 * 86_400L) / 86_400L).toString());
        ArrayNode lm = d.putArray("login_methods");
        lm.add("Clever Badges");
        lm.add("Clever Passwords");
        ObjectNode dc = d.putObject("district_contact");
        dc.put("id", Ids.objectId(t0 - 7 * 86_400L, machine | 2, 0xFFFFFFFFFL));
        dc.put("district", districtId);
        dc.put("email", "contact@rollbook-demo.example.org");
        ObjectNode n = dc.putObject("name");
        n.put("first", "Amélie");
        n.put("last", "Zeng");
        dc.put("title", "");
        return d;
    }

    ObjectNode school(int k) {
        SplittableRandom r = rng(2, k);
        ObjectNode s = F.objectNode();
        String id = schoolId(k);
        s.put("id", id);
        s.put("district", districtId);
        String kind = SCHOOL_KINDS[k % SCHOOL_KINDS.length];
        String base = SCHOOL_NAMES[k % SCHOOL_NAMES.length];
        s.put("name", base + " " + kind + (k >= SCHOOL_NAMES.length ? " " + (k / SCHOOL_NAMES.length + 1) : ""));
        String num = String.format(Locale.ROOT, "%02dK%03d", 10 + k % 20, 100 + k % 900);
        s.put("school_number", num);
        s.put("sis_id", num);
        s.put("state_id", String.valueOf(30_000 + k));
        if (k % 3 == 0) {
            s.put("nces_id", String.valueOf(360_000_000_000L + k));
        }
        if (k % 4 == 1) {
            s.put("mdr_number", String.valueOf(2_000_000 + k));
        }
        s.put("phone", String.format(Locale.ROOT, "(718) 555-%04d", r.nextInt(10_000)));
        switch (k % SCHOOL_KINDS.length) {
            case 0:
                s.put("low_grade", "TransitionalKindergarten");
                s.put("high_grade", "5");
                break;
            case 1:
                s.put("low_grade", "6");
                s.put("high_grade", "8");
                break;
            case 2:
                s.put("low_grade", "9");
                s.put("high_grade", "12");
                break;
            case 3:
                s.put("low_grade", "Kindergarten");
                s.put("high_grade", "8");
                break;
            default:
                s.put("low_grade", "InfantToddler");
                s.put("high_grade", "PreKindergarten");
        }
        ObjectNode loc = s.putObject("location");
        loc.put("address", (100 + r.nextInt(900)) + " " + pick(r, STREETS));
        loc.put("city", pick(r, CITIES));
        loc.put("state", "NY");
        loc.put("zip", String.valueOf(10_000 + r.nextInt(90_000)));
        ObjectNode p = s.putObject("principal");
        String pf = pick(r, FIRST), pl = pick(r, LAST);
        p.put("name", pf + " " + pl);
        p.put("email", emailPart(pf, "principal") + emailPart(pl, "") + k + "@example.com");
        s.putObject("ext").put("charter_school", k % 5 == 3 ? "Y" : "N");
        long created = (t0 - 3_600L) * 1000 + r.nextInt(1000);
        s.put("created", Ids.isoMillis(created));
        s.put("last_modified", Ids.isoMillis(created + r.nextInt(86_400_000)));
        return s;
    }

    /** The generated user g (0 &lt;= g &lt; total), freshly built. */
    ObjectNode user(long g) {
        SplittableRandom r = rng(3, g);
        ObjectNode u = F.objectNode();
        String id = userId(g);
        u.put("id", id);
        u.put("district", districtId);
        // placeholders keep the key order id, district, email, name, created, last_modified, roles
        u.putNull("email");
        u.putObject("name");
        long created = (t0 + g / 500) * 1000 + r.nextInt(1000);
        u.put("created", Ids.isoMillis(created));
        long lastModified = r.nextInt(50) == 0 ? created - r.nextInt(86_400_000) // wire quirk: before created
                : created + (long) r.nextInt(60) * 86_400_000L + r.nextInt(86_400_000);
        u.put("last_modified", Ids.isoMillis(lastModified));
        ObjectNode roles = u.putObject("roles");
        if (isStudent(g)) {
            student(g, r, u, roles);
        } else if (isContact(g)) {
            contact(g, r, u, roles);
        } else {
            String first = pick(r, FIRST), last = pick(r, LAST);
            ObjectNode name = (ObjectNode) u.get("name");
            name.put("first", first);
            if (r.nextInt(3) > 0) {
                name.put("middle", pick(r, MIDDLE));
            }
            name.put("last", last);
            String user = emailPart(first, "t") + "_" + emailPart(last, "x") + (g % 1000);
            u.put("email", user + "@rollbook-demo.example.org");
            if (isAdmin(g)) {
                if (g == adminLo) {
                    name.remove("middle");
                }
                ObjectNode da = roles.putObject("district_admin");
                da.put("title", g == adminLo ? "" : pick(r, new String[] {"Superintendent", "IT Director", ""}));
                da.put("legacy_id", legacyId(g));
                if (g == adminLo) {
                    staffRole(roles, r, g, "A-" + (g + 1), user, new int[] {0});
                }
            } else if (isTeacher(g)) {
                ObjectNode t = roles.putObject("teacher");
                int ti = (int) (g - teacherLo);
                t.put("sis_id", String.valueOf(ti + 1));
                t.put("teacher_number", String.valueOf(500_000 + ti));
                if (r.nextInt(8) == 0) {
                    t.putNull("state_id");
                } else {
                    t.put("state_id", String.valueOf(114_000_000 + ti));
                }
                t.put("title", pick(r, TEACHER_TITLES));
                t.putObject("credentials").put("district_username", user);
                String school = schoolId(teacherSchool(g));
                t.put("school", school);
                t.putArray("schools").add(school);
                t.put("legacy_id", legacyId(g));
                ObjectNode ext = t.putObject("ext");
                if (r.nextBoolean()) {
                    ext.put("admin_permissions", r.nextInt(4) == 0 ? "Y" : "N");
                }
                if (ti % 10 == 0) {
                    staffRole(roles, r, g, "S-T" + (ti + 1), user, new int[] {teacherSchool(g)});
                }
            } else {
                int second = staffSecondSchool(g);
                staffRole(roles, r, g, "S-" + (g - staffLo + 1), user,
                        second >= 0 ? new int[] {staffSchool(g), second} : new int[] {staffSchool(g)});
            }
        }
        return u;
    }

    private void staffRole(ObjectNode roles, SplittableRandom r, long g, String staffId, String user, int[] schools) {
        ObjectNode s = roles.putObject("staff");
        s.put("staff_id", staffId);
        int v = r.nextInt(10);
        if (v == 0) {
            s.putNull("title");
        } else {
            s.put("title", pick(r, STAFF_TITLES));
        }
        if (v == 1) {
            s.putNull("department");
        } else if (v != 2) {
            s.put("department", pick(r, DEPARTMENTS));
        }
        s.putObject("credentials").put("district_username", user);
        ArrayNode a = s.putArray("schools");
        for (int k : schools) {
            a.add(schoolId(k));
        }
        ArrayNode rr = s.putArray("roles");
        if (v == 3) {
            rr.add("Librarian");
        }
        s.put("legacy_id", legacyId(g + 7_000_000L));
        s.putObject("ext");
    }

    /** The last name of family f (siblings 2f, 2f+1 and their contacts share it). */
    private String familyLast(long f) {
        return pick(rng(4, f), LAST);
    }

    /** Families with f % 5 == 0 use one shared family email for both siblings (and their first contact). */
    private String familyEmail(long f) {
        return "the." + emailPart(familyLast(f), "family") + ".family" + f + "@example.net";
    }

    private void student(long g, SplittableRandom r, ObjectNode u, ObjectNode roles) {
        long s = g - studentLo;
        long f = s / 2;
        String first = pick(r, FIRST);
        String last = familyLast(f);
        ObjectNode name = (ObjectNode) u.get("name");
        name.put("first", first);
        int m = r.nextInt(6);
        if (m < 3) {
            name.put("middle", pick(r, MIDDLE));
        } else if (m == 3) {
            name.put("middle", "");
        }
        name.put("last", last);
        String grade = s < GRADES.length ? GRADES[(int) s] : weightedGrade(r);
        int gradeNum = gradeNumber(grade);
        // email: young students mostly have none; some families share one address
        String email;
        if (f % 5 == 0) {
            email = familyEmail(f);
        } else if (gradeNum <= 2 && r.nextInt(4) > 0) {
            email = null;
        } else {
            email = emailPart(first, "s") + "." + emailPart(last, "student") + s + "@students.rollbook-demo.example.org";
        }
        int emailForm = r.nextInt(3); // absent / "" / null when there is no email
        if (email != null) {
            u.put("email", email);
        } else if (emailForm == 0) {
            u.remove("email");
        } else if (emailForm == 1) {
            u.put("email", "");
        }
        ObjectNode st = roles.putObject("student");
        String sis = String.valueOf(100_000_000L + s);
        st.put("sis_id", sis);
        st.put("student_number", r.nextInt(10) == 0 ? "" : sis);
        int stateForm = r.nextInt(10);
        if (stateForm == 0) {
            st.putNull("state_id");
        } else if (stateForm != 1) {
            st.put("state_id", String.valueOf(200_000_000L + (Ids.mix(seed + s) & 0x3FFFFFFL)));
        }
        st.putObject("credentials").put("district_username",
                emailPart(first, "s") + emailPart(last, "x").substring(0, 1) + (s % 100));
        int dobForm = r.nextInt(20);
        if (dobForm == 0) {
            st.put("dob", "");
        } else if (dobForm == 1) {
            st.putNull("dob");
        } else if (dobForm != 2) {
            int year = 2019 - Math.max(-4, Math.min(gradeNum, 14));
            st.put("dob", (1 + r.nextInt(12)) + "/" + (1 + r.nextInt(28)) + "/" + year);
        }
        st.put("gender", pick(r, GENDERS));
        st.put("grade", grade);
        st.put("graduation_year", gradeNum >= 1 && gradeNum <= 12 && r.nextInt(3) > 0
                ? String.valueOf(2037 - gradeNum) : "");
        st.put("hispanic_ethnicity", pick(r, new String[] {"Y", "N", "N", ""}));
        st.put("ell_status", pick(r, new String[] {"Y", "N", "N", "N", ""}));
        st.put("race", pick(r, RACES));
        ObjectNode loc = st.putObject("location");
        if (r.nextInt(3) == 0) {
            loc.put("address", (1 + r.nextInt(999)) + " " + pick(r, STREETS));
            loc.put("city", pick(r, CITIES));
            loc.put("state", "NY");
        } else {
            loc.put("address", "");
            loc.put("city", "");
            loc.put("state", "");
        }
        loc.put("zip", String.valueOf(10_000 + r.nextInt(90_000)));
        String school = schoolId(studentSchool(g));
        st.put("school", school);
        st.putArray("schools").add(school);
        st.putArray("enrollments");
        st.putObject("ext").put("gifted_status", r.nextInt(8) == 0 ? "Y" : "");
        if (email != null) {
            st.put("email", email);
        }
    }

    private static String weightedGrade(SplittableRandom r) {
        int x = r.nextInt(100);
        if (x < 85) {
            return String.valueOf(1 + x % 12);
        }
        if (x < 92) {
            return "Kindergarten";
        }
        return GRADES[r.nextInt(GRADES.length)];
    }

    /** Approximate grade number for ages/emails: K = 0, pre-K = -1, ...; PostGraduate 13, others 6. */
    static int gradeNumber(String grade) {
        switch (grade) {
            case "InfantToddler":
                return -4;
            case "Preschool":
                return -2;
            case "PreKindergarten":
                return -1;
            case "TransitionalKindergarten":
            case "Kindergarten":
                return 0;
            case "PostGraduate":
                return 14;
            case "Ungraded":
            case "Other":
            case "":
                return 6;
            default:
                try {
                    return Integer.parseInt(grade);
                } catch (NumberFormatException e) {
                    return 6;
                }
        }
    }

    private void contact(long g, SplittableRandom r, ObjectNode u, ObjectNode roles) {
        long c = g - contactLo;
        long f = families == 0 ? -1 : c % families;
        String last = f >= 0 ? familyLast(f) : pick(r, LAST);
        String first = pick(r, FIRST);
        ObjectNode name = (ObjectNode) u.get("name");
        if (r.nextInt(3) == 0) {
            name.put("last", first + " " + last); // the wire's contact form: full name in "last"
        } else {
            name.put("first", first);
            name.put("last", last);
        }
        if (f >= 0 && f % 5 == 0 && c < families) {
            u.put("email", familyEmail(f));
        } else if (r.nextInt(4) == 0) {
            u.remove("email");
        } else {
            u.put("email", emailPart(first, "p") + "." + emailPart(last, "parent") + c + "@example.net");
        }
        ObjectNode ct = roles.putObject("contact");
        int pt = r.nextInt(PHONE_TYPES.length);
        ct.put("phone", pt == PHONE_TYPES.length - 1 ? "" : String.format(Locale.ROOT, "(555) %03d-%04d",
                r.nextInt(1000), r.nextInt(10_000)));
        ct.put("phone_type", PHONE_TYPES[pt]);
        ct.put("sis_id", "C" + (900_000 + c));
        ct.put("legacy_id", legacyId(g));
        ArrayNode rel = ct.putArray("student_relationships");
        if (f >= 0) {
            String relationship = pick(r, RELATIONSHIPS);
            String type = pick(r, CONTACT_TYPES);
            for (long s = 2 * f; s < Math.min(2 * f + 2, spec.students()); s++) {
                ObjectNode o = rel.addObject();
                o.put("student", userId(studentLo + s));
                o.put("relationship", relationship);
                o.put("type", type);
            }
        }
    }

    /** Generated contacts of student g (by default). */
    long[] contactsOfStudent(long g) {
        long f = (g - studentLo) / 2;
        int n = 0;
        long[] out = new long[(int) Math.max(0, (spec.contacts() - f + families - 1) / Math.max(1, families))];
        for (long c = f; c < spec.contacts(); c += families) {
            out[n++] = contactLo + c;
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
