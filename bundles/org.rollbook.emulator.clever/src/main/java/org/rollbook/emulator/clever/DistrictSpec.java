package org.rollbook.emulator.clever;

/**
 * Sizes of a synthetic district.
 *
 * @param students       students
 * @param teachers       teachers (every 10th teacher is also staff: a multi-role user)
 * @param staff          staff-only users
 * @param districtAdmins district admins (the first one is also staff)
 * @param contacts       contacts (parents/guardians), each related to a family of up to two siblings
 * @param schools        schools (at least 1)
 */
public record DistrictSpec(int students, int teachers, int staff, int districtAdmins, int contacts, int schools) {

    /** The demo district: 1000 students, 67 teachers, 20 staff, 3 district admins, 500 contacts, 2 schools. */
    public static final DistrictSpec DEMO = ofStudents(1000);

    public DistrictSpec {
        if (students < 0 || teachers < 0 || staff < 0 || districtAdmins < 0 || contacts < 0) {
            throw new IllegalArgumentException("negative size");
        }
        if (schools < 1) {
            throw new IllegalArgumentException("a district needs at least one school");
        }
        long total = (long) students + teachers + staff + districtAdmins + contacts;
        if (total > 100_000_000L) {
            throw new IllegalArgumentException("district too large: " + total + " users");
        }
    }

    /** Teachers 1:15, staff 1:50, 3 district admins, contacts 1 per 2 students, schools 1:500 (at least 1). */
    public static DistrictSpec ofStudents(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative student count");
        }
        return new DistrictSpec(n, ceilDiv(n, 15), ceilDiv(n, 50), 3, ceilDiv(n, 2), Math.max(1, n / 500));
    }

    /** Users of every role (a multi-role user counts once). */
    public long totalUsers() {
        return (long) students + teachers + staff + districtAdmins + contacts;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
