package org.rollbook.emulator.oneroster.internal;

import java.text.Normalizer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.rollbook.emulator.oneroster.DistrictSpec;
import org.rollbook.emulator.oneroster.Role;
import org.rollbook.emulator.oneroster.RosterOrg;
import org.rollbook.emulator.oneroster.RosterUser;
import org.rollbook.emulator.oneroster.UserId;

/** Derives every generated record from (seed, kind, index); holds no per-record state. */
public final class Gen {

    public static final int STUDENT = 0, TEACHER = 1, ADMIN = 2, PARENT = 3;
    static final char[] PREFIX = { '1', '2', '3', '4' };
    /** Generated records carry this import time (ref §4.1: one dateLastModified per import). */
    public static final Instant BASELINE = Instant.parse("2025-08-04T06:12:01.000Z");

    static final String[] GIVEN = { "Olivia", "Liam", "José", "Zoë", "Chloé", "Søren", "Björn", "Renée", "Łukasz",
            "Ngozi", "Aaliyah", "Muhammad", "Hiroshi", "Anaïs", "Siobhán", "Dmitrij", "Mateo", "Ava", "Noah", "Emma",
            "Sofía", "Jürgen", "Ines", "Kwame", "Priya", "Thảo", "Ömer", "Maëlle", "Nikolaj", "Fatima", "Jamal",
            "Grace", "Ethan", "Isabella", "Lucas", "Mia", "Benjamin", "Harper", "Elijah", "Amelia", "James", "Evelyn",
            "Chen", "Yuki", "Zainab", "Óscar", "Ana-María", "Jean-Luc", "D'Andre", "Mary Kate" };
    static final String[] FAMILY = { "García", "Müller", "O'Brien", "Nguyễn", "Øvergaard", "Kowalczyk", "Smith-Jones",
            "da Silva", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Rodríguez", "Martínez",
            "Hernández", "López", "González", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
            "Lee", "Pérez", "Thompson", "White", "Harris", "Sánchez", "Clark", "Ramírez", "Lewis", "Robinson",
            "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
            "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Schäfer",
            "Dvořák", "Ångström", "Van der Berg", "MacLeod", "Al-Masri", "Kim", "Park", "Wang", "Zhang", "Takahashi",
            "Okonkwo", "Papadopoulos", "Ivanov", "Fernández", "Cohen", "Singh", "Patel", "Yılmaz", "Nowak" };
    static final String[] MIDDLE = { "Marie", "James", "Ann", "Lee", "Grace", "Alexander", "José", "Elizabeth",
            "Michael", "Rose", "Luis", "Kai", "Noël", "Joy", "Ray" };
    static final String[] TOWNS = { "Maplewood", "Riverside", "Cedar Falls", "Lakeview", "Greenfield", "Brookhaven",
            "Fairmont", "Oak Ridge", "Westfield", "Pine Hill" };
    static final String[] SCHOOL_KIND = { "Elementary School", "Middle School", "High School" };
    static final String[][] BANDS = { { "PK", "KG", "01", "02", "03", "04", "05" }, { "06", "07", "08" },
            { "09", "10", "11", "12" } };
    static final String[] SEXES = { "male", "female" };

    static final String[] GIVEN_ASCII = lower(GIVEN), FAMILY_ASCII = lower(FAMILY);

    static String[] lower(String[] names) {
        String[] out = new String[names.length];
        for (int i = 0; i < names.length; i++) out[i] = ascii(names[i]).toLowerCase(Locale.ROOT);
        return out;
    }

    final long seed;
    final DistrictSpec spec;
    final String town;
    final String domain;

    public Gen(long seed, DistrictSpec spec) {
        this.seed = seed;
        this.spec = spec;
        this.town = TOWNS[(int) Long.remainderUnsigned(mix(seed), TOWNS.length)];
        this.domain = ascii(town).toLowerCase(Locale.ROOT) + ".k12.example.org";
    }

    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long h(int kind, long index, int salt) {
        return mix(seed * 0x9E3779B97F4A7C15L + (kind + 1) * 0x632BE59BD9B4E019L + index * 0xD1B54A32D192ED03L + salt);
    }

    int pick(int kind, long index, int salt, int n) {
        return (int) Long.remainderUnsigned(h(kind, index, salt), n);
    }

    static String ascii(String s) {
        String d = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        d = d.replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L").replace("đ", "d");
        return d.replaceAll("[^A-Za-z0-9]", "");
    }

    // ---------------------------------------------------------------- structure

    public int count(int kind) {
        return switch (kind) {
            case STUDENT -> spec.students();
            case TEACHER -> spec.teachers();
            case ADMIN -> spec.administrators();
            default -> spec.parents();
        };
    }

    public static String userId(int kind, int index) {
        String n = Integer.toString(index);
        StringBuilder sb = new StringBuilder(8).append(PREFIX[kind]);
        for (int i = n.length(); i < 7; i++) sb.append('0');
        return sb.append(n).toString();
    }

    /** kind << 32 | index, or -1 if not a well-formed user id. */
    public static long parseUserId(String id) {
        if (id == null || id.length() != 8) return -1;
        int kind = id.charAt(0) - '1';
        if (kind < 0 || kind > 3) return -1;
        int v = 0;
        for (int i = 1; i < 8; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return ((long) kind << 32) | v;
    }

    public static String orgId(int index) {
        String n = Integer.toString(index);
        StringBuilder sb = new StringBuilder(7).append('9');
        for (int i = n.length(); i < 6; i++) sb.append('0');
        return sb.append(n).toString();
    }

    public static int parseOrgId(String id) {
        if (id == null || id.length() != 7 || id.charAt(0) != '9') return -1;
        int v = 0;
        for (int i = 1; i < 7; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** First index i in [0,count) with floor(i*groups/count) == g. */
    static int first(long g, long count, long groups) {
        return (int) ((g * count + groups - 1) / groups);
    }

    int schoolOf(int kind, int i) {
        int n = count(kind);
        return n == 0 ? 0 : (int) ((long) i * spec.schools() / n);
    }

    /** School index (0-based) of a generated student. */
    public int studentSchool(int i) { return schoolOf(STUDENT, i); }

    public int teacherSchool(int t) { return schoolOf(TEACHER, t); }

    public int studentsFirst(int s) { return first(s, spec.students(), spec.schools()); }

    public int teachersFirst(int s) { return first(s, spec.teachers(), spec.schools()); }

    /** Homeroom teacher index of a generated student, or -1 when the school has no teacher. */
    public int homeroomTeacher(int i) {
        int s = studentSchool(i);
        int tf = teachersFirst(s), tc = teachersFirst(s + 1) - tf;
        if (tc <= 0) return -1;
        return tf + (i - studentsFirst(s)) % tc;
    }

    /** Generated students whose homeroom teacher is t. */
    public int[] homeroomStudents(int t) {
        int s = teacherSchool(t);
        int tf = teachersFirst(s), tc = teachersFirst(s + 1) - tf;
        int sf = studentsFirst(s), se = studentsFirst(s + 1);
        List<Integer> out = new ArrayList<>();
        for (int i = sf + (t - tf); i < se; i += tc) out.add(i);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Parent index of a generated student, or -1. */
    public int parentOf(int i) {
        if (spec.parents() == 0 || spec.students() == 0) return -1;
        return (int) ((long) i * spec.parents() / spec.students());
    }

    /** [from, to) of generated students whose parent is p. */
    public int[] childrenRange(int p) {
        if (spec.students() == 0) return new int[] { 0, 0 };
        return new int[] { first(p, spec.students(), spec.parents()), first(p + 1L, spec.students(), spec.parents()) };
    }

    int band(int s) { return s % 3; }

    public String grade(int i) {
        String[] b = BANDS[band(studentSchool(i))];
        return b[pick(STUDENT, i, 7, b.length)];
    }

    // ---------------------------------------------------------------- records

    public RosterOrg district() {
        return new RosterOrg(orgId(0), "active", BASELINE, town + " Public Schools", "district",
                "34" + String.format("%05d", pick(9, 0, 1, 100000)), null);
    }

    public RosterOrg school(int s) {
        String name = TOWNS[(int) Long.remainderUnsigned(h(9, s, 2), TOWNS.length)] + " " + FAMILY[pick(9, s, 3, FAMILY.length)]
                + " " + SCHOOL_KIND[band(s)];
        String nces = pick(9, s, 4, 10) == 0 ? "" : "34" + String.format("%010d", Long.remainderUnsigned(h(9, s, 5), 10_000_000_000L));
        return new RosterOrg(orgId(s + 1), "active", BASELINE, name, "school", nces, orgId(0));
    }

    private String given(int kind, int i) { return GIVEN[pick(kind, i, 1, GIVEN.length)]; }

    private String family(int kind, int i) { return FAMILY[pick(kind, i, 2, FAMILY.length)]; }

    private String middle(int kind, int i) {
        return pick(kind, i, 3, 10) < 6 ? "" : MIDDLE[pick(kind, i, 4, MIDDLE.length)];
    }

    private boolean caps(int kind, int i) { return pick(kind, i, 5, 10) == 0; }

    private static String up(String s, boolean caps) { return caps ? s.toUpperCase(Locale.ROOT) : s; }

    /** Cheap scalars of an untouched generated user (names only), or null. */
    String scalar(int kind, int i, String field) {
        boolean caps = (kind == STUDENT || kind == TEACHER) && caps(kind, i);
        return switch (field) {
            case "givenName" -> up(given(kind, i), caps);
            case "familyName" -> up(family(kind, i), caps);
            case "middleName" -> kind == PARENT ? "" : up(middle(kind, i), caps);
            case "username" -> username(kind, i);
            default -> null;
        };
    }

    private String username(int kind, int i) {
        String g = GIVEN_ASCII[pick(kind, i, 1, GIVEN.length)], f = FAMILY_ASCII[pick(kind, i, 2, FAMILY.length)];
        if (g.isEmpty()) g = "user";
        if (f.isEmpty()) f = "x";
        return g + "." + f + i;
    }

    List<UserId> userIds(int kind, int i, String id) {
        if (pick(kind, i, 6, 100) < 3) return List.of(); // P19: sometimes unpopulated
        return List.of(new UserId("FED", id));
    }

    String parentEmail(int p) {
        if (pick(PARENT, p, 8, 100) < 15) return "";
        String f = FAMILY_ASCII[pick(PARENT, p, 2, FAMILY.length)];
        return (f.isEmpty() ? "family" : f) + ".family" + p + "@mail.example.net";
    }

    public RosterUser student(int i) {
        String id = userId(STUDENT, i);
        boolean caps = caps(STUDENT, i);
        String grade = grade(i);
        int p = parentOf(i);
        String email;
        int e = pick(STUDENT, i, 9, 100);
        if (grade.equals("PK") || grade.equals("KG") || grade.equals("01") || grade.equals("02") || e < 8) email = "";
        else if (e < 13 && p >= 0 && !parentEmail(p).isEmpty()) email = parentEmail(p); // shared family email
        else email = username(STUDENT, i) + "@students." + domain;
        int g = switch (grade) { case "PK" -> -1; case "KG" -> 0; default -> Integer.parseInt(grade); };
        LocalDate birth = LocalDate.of(2019 - g - pick(STUDENT, i, 10, 2), 1 + pick(STUDENT, i, 11, 12), 1 + pick(STUDENT, i, 12, 28));
        return new RosterUser(id, "active", BASELINE, Role.STUDENT, username(STUDENT, i), userIds(STUDENT, i, id),
                pick(STUDENT, i, 13, 100) != 0, up(given(STUDENT, i), caps), up(family(STUDENT, i), caps),
                up(middle(STUDENT, i), caps), Integer.toString(100000 + i), email, "", "",
                p >= 0 ? List.of(userId(PARENT, p)) : List.of(), List.of(orgId(studentSchool(i) + 1)), List.of(grade),
                birth, SEXES[pick(STUDENT, i, 14, 2)]);
    }

    public RosterUser teacher(int t) {
        String id = userId(TEACHER, t);
        boolean caps = caps(TEACHER, t);
        return new RosterUser(id, "active", BASELINE, Role.TEACHER, username(TEACHER, t), userIds(TEACHER, t, id),
                true, up(given(TEACHER, t), caps), up(family(TEACHER, t), caps), up(middle(TEACHER, t), caps),
                "T" + (5000 + t), username(TEACHER, t) + "@" + domain, "", "", List.of(),
                List.of(orgId(teacherSchool(t) + 1)), List.of(), null, null);
    }

    public RosterUser admin(int a) {
        String id = userId(ADMIN, a);
        boolean district = a % 5 == 0;
        String org = district ? orgId(0) : orgId(schoolOf(ADMIN, a) + 1);
        return new RosterUser(id, "active", BASELINE, Role.ADMINISTRATOR, username(ADMIN, a), userIds(ADMIN, a, id),
                true, given(ADMIN, a), family(ADMIN, a), middle(ADMIN, a), "A" + (900 + a),
                username(ADMIN, a) + "@" + domain, "", pick(ADMIN, a, 15, 3) == 0 ? phone(ADMIN, a) : "", List.of(),
                List.of(org), List.of(), null, null);
    }

    String phone(int kind, int i) {
        return String.format("(609) 555-%04d", pick(kind, i, 16, 10000));
    }

    public RosterUser parent(int p) {
        String id = userId(PARENT, p);
        int[] r = childrenRange(p);
        List<String> kids = new ArrayList<>(Math.max(0, r[1] - r[0]));
        for (int i = r[0]; i < r[1]; i++) kids.add(userId(STUDENT, i));
        String org = r[1] > r[0] ? orgId(studentSchool(r[0]) + 1) : orgId(0);
        Role role = p % 10 == 3 ? Role.GUARDIAN : Role.PARENT;
        return new RosterUser(id, "active", BASELINE, role, username(PARENT, p), List.of(), true, given(PARENT, p),
                family(PARENT, p), "", "", parentEmail(p), pick(PARENT, p, 17, 4) == 0 ? phone(PARENT, p) : "",
                pick(PARENT, p, 18, 5) == 0 ? "" : phone(PARENT, p), kids, List.of(org), List.of(), null, null);
    }

    public RosterUser user(int kind, int i) {
        return switch (kind) {
            case STUDENT -> student(i);
            case TEACHER -> teacher(i);
            case ADMIN -> admin(i);
            default -> parent(i);
        };
    }

    public Role role(int kind, int i) {
        return switch (kind) {
            case STUDENT -> Role.STUDENT;
            case TEACHER -> Role.TEACHER;
            case ADMIN -> Role.ADMINISTRATOR;
            default -> i % 10 == 3 ? Role.GUARDIAN : Role.PARENT;
        };
    }

    /** Race flag index (0..5) for demographics, stable per sourcedId. */
    int race(String id) {
        return (int) Long.remainderUnsigned(mix(seed ^ id.hashCode() * 0x9E3779B97F4A7C15L), 6);
    }

    boolean hispanic(String id) {
        return Long.remainderUnsigned(mix(seed + 77 + id.hashCode()), 5) == 0;
    }
}
