package org.rollbook.emulator.oneroster;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A user as the emulator serves it (1.1 fields; 1.2 shapes are derived). Empty optional strings are {@code ""}.
 * {@code birthDate}/{@code sex} feed {@code /demographics} (students only); null means no demographics record.
 */
public record RosterUser(String sourcedId, String status, Instant dateLastModified, Role role, String username,
        List<UserId> userIds, boolean enabledUser, String givenName, String familyName, String middleName,
        String identifier, String email, String sms, String phone, List<String> agentIds, List<String> orgIds,
        List<String> grades, LocalDate birthDate, String sex) {

    public RosterUser {
        userIds = List.copyOf(userIds == null ? List.of() : userIds);
        agentIds = List.copyOf(agentIds == null ? List.of() : agentIds);
        orgIds = List.copyOf(orgIds == null ? List.of() : orgIds);
        grades = List.copyOf(grades == null ? List.of() : grades);
        status = status == null ? "active" : status;
        username = n(username); givenName = n(givenName); familyName = n(familyName); middleName = n(middleName);
        identifier = n(identifier); email = n(email); sms = n(sms); phone = n(phone);
    }

    private static String n(String s) { return s == null ? "" : s; }

    public static Builder builder(Role role) { return new Builder().role(role); }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.sourcedId = sourcedId; b.status = status; b.dateLastModified = dateLastModified; b.role = role;
        b.username = username; b.userIds = new ArrayList<>(userIds); b.enabledUser = enabledUser;
        b.givenName = givenName; b.familyName = familyName; b.middleName = middleName; b.identifier = identifier;
        b.email = email; b.sms = sms; b.phone = phone; b.agentIds = new ArrayList<>(agentIds);
        b.orgIds = new ArrayList<>(orgIds); b.grades = new ArrayList<>(grades); b.birthDate = birthDate; b.sex = sex;
        return b;
    }

    /** Mutable builder; {@code sourcedId}, {@code status} and {@code dateLastModified} are managed by {@link District}. */
    public static final class Builder {
        String sourcedId; String status = "active"; Instant dateLastModified; Role role = Role.STUDENT;
        String username = ""; List<UserId> userIds = new ArrayList<>(); boolean enabledUser = true;
        String givenName = ""; String familyName = ""; String middleName = ""; String identifier = "";
        String email = ""; String sms = ""; String phone = ""; List<String> agentIds = new ArrayList<>();
        List<String> orgIds = new ArrayList<>(); List<String> grades = new ArrayList<>();
        LocalDate birthDate; String sex;

        public Builder sourcedId(String v) { sourcedId = v; return this; }
        public Builder role(Role v) { role = v; return this; }
        public Builder username(String v) { username = v; return this; }
        public Builder userIds(List<UserId> v) { userIds = new ArrayList<>(v); return this; }
        public Builder enabledUser(boolean v) { enabledUser = v; return this; }
        public Builder givenName(String v) { givenName = v; return this; }
        public Builder familyName(String v) { familyName = v; return this; }
        public Builder middleName(String v) { middleName = v; return this; }
        public Builder identifier(String v) { identifier = v; return this; }
        public Builder email(String v) { email = v; return this; }
        public Builder sms(String v) { sms = v; return this; }
        public Builder phone(String v) { phone = v; return this; }
        public Builder agentIds(List<String> v) { agentIds = new ArrayList<>(v); return this; }
        public Builder orgIds(List<String> v) { orgIds = new ArrayList<>(v); return this; }
        public Builder grades(List<String> v) { grades = new ArrayList<>(v); return this; }
        public Builder birthDate(LocalDate v) { birthDate = v; return this; }
        public Builder sex(String v) { sex = v; return this; }
        public Builder status(String v) { status = v; return this; }
        public Builder dateLastModified(Instant v) { dateLastModified = v; return this; }

        public RosterUser build() {
            return new RosterUser(sourcedId, status, dateLastModified, role, username, userIds, enabledUser, givenName,
                    familyName, middleName, identifier, email, sms, phone, agentIds, orgIds, grades, birthDate, sex);
        }
    }
}
