package org.rollbook.emulator.oneroster;

/**
 * Size of a generated district. Everything else is derived from the seed.
 *
 * @param students       number of students (0..9,999,999)
 * @param teachers       number of teachers; each has one homeroom class
 * @param administrators number of administrators (every 5th is district staff)
 * @param parents        number of parents/guardians; student i has parent floor(i*parents/students)
 * @param schools        number of schools (at least 1)
 */
public record DistrictSpec(int students, int teachers, int administrators, int parents, int schools) {

    /** About 1000 students: 67 teachers, 20 administrators, 950 parents, 2 schools. */
    public static final DistrictSpec DEMO = ofStudents(1000);

    public DistrictSpec {
        if (students < 0 || teachers < 0 || administrators < 0 || parents < 0)
            throw new IllegalArgumentException("negative count");
        if (schools < 1) throw new IllegalArgumentException("schools must be >= 1");
        int max = 9_999_999;
        if (students > max || teachers > max || administrators > max || parents > max || schools > 999_998)
            throw new IllegalArgumentException("too large");
    }

    /** Teachers 1:15 (at least one per school), administrators 1:50, parents ~0.95 per student (some siblings share), schools 1:500. */
    public static DistrictSpec ofStudents(int n) {
        int schools = Math.max(1, (n + 499) / 500);
        int teachers = Math.max(schools, (n + 14) / 15);
        int admins = Math.max(1, (n + 49) / 50);
        int parents = (int) Math.round(n * 0.95);
        return new DistrictSpec(n, teachers, admins, parents, schools);
    }
}
