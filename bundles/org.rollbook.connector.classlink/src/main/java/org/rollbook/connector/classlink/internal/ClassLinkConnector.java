package org.rollbook.connector.classlink.internal;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.roster.ConnectionCheck;
import org.rollbook.api.roster.FetchKind;
import org.rollbook.api.roster.FetchReport;
import org.rollbook.api.roster.FetchRequest;
import org.rollbook.api.roster.RosterConnector;
import org.rollbook.api.roster.RosterException;
import org.rollbook.api.roster.RosterRecord;
import org.rollbook.api.roster.RosterSchool;
import org.rollbook.api.roster.RosterSink;
import org.rollbook.api.security.Secrets;
import org.rollbook.http.RosterHttp;
import org.rollbook.http.RosterHttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A ClassLink roster server (OneRoster 1.1 REST, 1.2 where served) as a roster: students, teachers (+ aides) and
 * administrators in offset pages, joined with demographics, parents/guardians and optionally homerooms; deltas by
 * {@code dateLastModified}; honest completeness.
 */
@Component(configurationPid = ClassLinkConnector.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = RosterConnector.PROVIDER + "=classlink")
@Designate(ocd = ClassLinkConfiguration.class)
public class ClassLinkConnector implements RosterConnector {

    static final String PID = "org.rollbook.connector.classlink";
    private static final Logger LOG = LoggerFactory.getLogger(ClassLinkConnector.class);
    private static final DateTimeFormatter WATERMARK = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final List<String> STAFF_ROLES_V1P1 = List.of("administrator");
    private static final List<String> STAFF_ROLES_V1P2 = List.of("principal", "siteAdministrator", "districtAdministrator",
            "systemAdministrator");
    private static final List<String> PARENT_ROLES = List.of("parent", "guardian", "relative");

    private final String tenant;
    private final OneRosterApi api;
    private final RosterHttp http;
    private final boolean v1p2;
    private final int pageSize;
    private final Duration overlap;
    private final boolean homeroom;

    @Activate
    public ClassLinkConnector(ClassLinkConfiguration c, @Reference Secrets secrets) {
        this(c, RosterHttp.standard(), secrets::open);
    }

    /** Outside a framework (benchmarks, tools): secrets in the configuration are plain text. */
    public ClassLinkConnector(ClassLinkConfiguration c) {
        this(c, RosterHttp.standard());
    }

    ClassLinkConnector(ClassLinkConfiguration c, RosterHttp http) {
        this(c, http, UnaryOperator.identity());
    }

    /** {@code reveal} opens the secrets of the configuration (sealed with the server's key file). */
    ClassLinkConnector(ClassLinkConfiguration c, RosterHttp http, UnaryOperator<String> reveal) {
        this.http = http;
        this.tenant = c.tenantId() == null ? "" : c.tenantId().strip();
        if (tenant.isEmpty()) {
            throw new IllegalArgumentException("the ClassLink tenant ID is missing");
        }
        String version = c.version() == null ? "v1p1" : c.version().strip().toLowerCase(Locale.ROOT);
        if (!version.equals("v1p1") && !version.equals("v1p2")) {
            throw new IllegalArgumentException("version must be v1p1 or v1p2, not '" + c.version() + "'");
        }
        this.v1p2 = version.equals("v1p2");
        if (c.pageSize() < 1 || c.pageSize() > 10_000) {
            throw new IllegalArgumentException("page size must be between 1 and 10000, not " + c.pageSize());
        }
        this.pageSize = c.pageSize();
        this.overlap = Duration.ofMinutes(Math.max(0, c.deltaOverlapMinutes()));
        this.homeroom = c.homeroom();
        URI base = RosterUrl.base(c.rosterServerUrl(), v1p2);
        boolean oauth2 = !c.clientId().isBlank() && !c.clientSecret().isBlank();
        boolean oauth1 = !c.consumerKey().isBlank() && !c.consumerSecret().isBlank();
        if (oauth2) {
            if (c.tokenUrl().isBlank()) {
                throw new IllegalArgumentException("OAuth 2 client credentials need the token URL");
            }
            this.api = new OneRosterApi(http, base, null, c.clientId().strip(), reveal.apply(c.clientSecret().strip()),
                    RosterUrl.http(c.tokenUrl(), "token URL"));
        } else if (oauth1) {
            if (v1p2) {
                throw new IllegalArgumentException("OneRoster 1.2 needs OAuth 2: configure client ID, client secret and token URL");
            }
            this.api = new OneRosterApi(http, base, new OAuth1Signer(c.consumerKey().strip(), reveal.apply(c.consumerSecret().strip())), null,
                    null, null);
        } else {
            throw new IllegalArgumentException("configure the consumer key and secret (OAuth 1.0a), or client ID, client "
                    + "secret and token URL (OAuth 2)");
        }
    }

    @Override
    public String provider() {
        return "classlink";
    }

    @Override
    public String account() {
        return tenant;
    }

    // ------------------------------------------------------------------ check, schools

    @Override
    public ConnectionCheck check() {
        try {
            OneRosterApi.Answer a = api.get("/orgs?limit=" + pageSize + "&offset=0&sort=sourcedId&orderBy=asc");
            JsonNode orgs = Pager.items(a.body(), "orgs", "/orgs");
            int schools = 0;
            String district = null;
            for (JsonNode o : orgs) {
                String type = Users.text(o, "type");
                if (type.equalsIgnoreCase("school")) {
                    schools++;
                } else if (type.equalsIgnoreCase("district") && district == null) {
                    district = Users.text(o, "name");
                }
            }
            long total = a.totalCount().orElse((long) orgs.size());
            return new ConnectionCheck(true, "connected to ClassLink tenant " + tenant + (district == null || district.isEmpty()
                    ? "" : " (" + district + ")") + ": " + total + " org(s), " + schools + " school(s) on the first page");
        } catch (RosterHttpException e) {
            return new ConnectionCheck(false, explain(e));
        } catch (IOException e) {
            return new ConnectionCheck(false, "cannot reach the roster server at " + api.base() + ": " + e.getMessage());
        }
    }

    private String explain(RosterHttpException e) {
        String m = e.getMessage();
        switch (e.status()) {
            case 0:
                return "cannot reach the roster server at " + api.base() + ": " + m;
            case 401:
                if (m.startsWith("the token endpoint")) {
                    return m;
                }
                return api.oauth2() ? "the roster server refused the bearer token (client ID/secret or token URL wrong?): " + m
                        : "the roster server refused the request signature: the consumer key or secret is wrong, or the "
                                + "signature did not match (" + m + ")";
            case 403:
                return "the roster server refused access (403): the district has not shared this data with the app: " + m;
            case 404:
                return "no OneRoster API at " + api.base() + " (404): check the roster server URL, it ends in "
                        + (v1p2 ? "/ims/oneroster/rostering/v1p2" : "/ims/oneroster/v1p1") + " (" + m + ")";
            default:
                return m;
        }
    }

    @Override
    public List<RosterSchool> schools() throws RosterException {
        List<RosterSchool> out = new ArrayList<>();
        try {
            Pager.Result r = Pager.pull(api, "/orgs", "orgs", null, pageSize, () -> false, o -> {
                String type = Users.text(o, "type");
                // the district org is listed too: district-level administrators belong to it, not to a school
                if ((type.equalsIgnoreCase("school") || type.equalsIgnoreCase("district")) && Users.id(o) != null) {
                    String name = Users.text(o, "name") + (type.equalsIgnoreCase("district") ? " (district)" : "");
                    out.add(new RosterSchool(Users.id(o), name, Users.text(o, "identifier")));
                }
            });
            if (!r.complete()) {
                LOG.info("ClassLink tenant {}: the school list may be incomplete: {}", tenant, r.problem());
            }
        } catch (RosterHttpException e) {
            throw new RosterException("cannot list ClassLink schools: " + explain(e), e);
        } catch (IOException e) {
            throw new RosterException("cannot list ClassLink schools: " + e.getMessage(), e);
        }
        return out;
    }

    // ------------------------------------------------------------------ fetch

    @Override
    public FetchReport fetch(FetchRequest request, RosterSink sink) throws RosterException {
        if (request.kind() == FetchKind.CHANGES) {
            Instant since = parseCursor(request.cursor());
            if (since == null) {
                String why = request.cursor() == null || request.cursor().isBlank() ? "there is no changes cursor yet"
                        : "the changes cursor '" + request.cursor() + "' is not a time";
                LOG.info("ClassLink tenant {}: {}; reading the whole roster", tenant, why);
                return new Fetch(request.types(), sink, null, null).run().performedFull(why + ", so the whole roster was read");
            }
            return new Fetch(request.types(), sink, since.minus(overlap), request.cursor()).run();
        }
        return new Fetch(request.types(), sink, null, null).run();
    }

    static Instant parseCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(cursor.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** One fetch: its joins, its counters and its completeness. */
    private final class Fetch {
        final Set<PatronType> types;
        final RosterSink sink;
        final Instant since;
        final Joins joins = new Joins();
        final List<String> problems = new ArrayList<>();
        final Instant localStart;
        long delivered;
        int unreadable;
        /** A collection was not read to its end: the cursor must not move past what was missed. */
        boolean readFailure;
        /** Demographics and parents are loaded (always for a full read; for an incremental only when students changed). */
        boolean studentJoins;

        final String requestCursor;

        Fetch(Set<PatronType> types, RosterSink sink, Instant since, String requestCursor) {
            this.requestCursor = requestCursor;
            this.localStart = http.now();
            api.watchServerClock();
            this.types = EnumSet.noneOf(PatronType.class);
            this.types.addAll(types);
            this.sink = sink;
            this.since = since;
        }

        String cursor() {
            Instant server = api.firstDate();
            // the server's clock when it answered first (its Date header, to the second), else ours before the first request
            return (server != null ? server : localStart).toString();
        }

        /**
         * The cursor after a fetch that missed something: an incremental keeps its old cursor (the next one reads the
         * same window again); a full read returns none, so the engine keeps whatever cursor it had.
         */
        String heldCursor() {
            return since == null ? null : requestCursor;
        }

        String delta(String clause) {
            String d = since == null ? null : "dateLastModified>'" + WATERMARK.format(since) + "'";
            if (clause == null) {
                return d;
            }
            return d == null ? clause : clause + " AND " + d;
        }

        String role(String role) {
            return (v1p2 ? "roles.role='" : "role='") + role + "'";
        }

        FetchReport run() throws RosterException {
            if (types.contains(PatronType.STUDENT) && studentsMayHaveChanged()) {
                loadStudentJoins();
            }
            if (homeroom && (types.contains(PatronType.STUDENT) || types.contains(PatronType.TEACHER))) {
                loadHomerooms();
            }
            try {
                if (types.contains(PatronType.STUDENT)) {
                    if (!users(PatronType.STUDENT, "/students", delta(null))) {
                        // students changed after the probe said none had: read the joins, then the students again
                        loadStudentJoins();
                        users(PatronType.STUDENT, "/students", delta(null));
                    }
                }
                if (types.contains(PatronType.TEACHER)) {
                    users(PatronType.TEACHER, "/teachers", delta(null));
                    users(PatronType.TEACHER, "/users", delta(role("aide")));
                }
                if (types.contains(PatronType.STAFF)) {
                    for (String r : v1p2 ? STAFF_ROLES_V1P2 : STAFF_ROLES_V1P1) {
                        users(PatronType.STAFF, "/users", delta(role(r)));
                    }
                }
            } catch (Cancelled c) {
                return FetchReport.incomplete("cancelled", heldCursor(), delivered);
            } catch (IOException e) {
                String why = e instanceof RosterHttpException h ? explain(h) : e.getMessage();
                if (delivered == 0) {
                    // nothing useful was read (joins alone are not): the run fails and writes nothing
                    throw new RosterException("cannot read the ClassLink roster: " + why, e);
                }
                problems.add("reading broke off: " + why);
                readFailure = true;
            }
            if (unreadable > 0) {
                problems.add(unreadable + " user record(s) could not be read");
            }
            if (!problems.isEmpty()) {
                return FetchReport.incomplete(String.join("; ", problems), readFailure ? heldCursor() : cursor(), delivered);
            }
            return FetchReport.complete(cursor(), delivered);
        }

        /**
         * An incremental whose students' delta is empty (by {@code X-Total-Count}) needs neither demographics nor
         * parents: quiet incrementals stay cheap. Full fetches always need them.
         */
        boolean studentsMayHaveChanged() {
            if (since == null) {
                return true;
            }
            try {
                OneRosterApi.Answer a = api.get("/students?limit=1&offset=0&filter=" + OAuth1Signer.encode(delta(null)));
                return a.totalCount().map(t -> t > 0).orElse(true) || Pager.items(a.body(), "users", "/students").size() > 0;
            } catch (IOException e) {
                return true; // the real pull will say what is wrong
            }
        }

        void mark(Pager.Result r) {
            if (!r.complete()) {
                problems.add(r.problem());
                readFailure = true;
            }
        }

        void loadStudentJoins() throws RosterException {
            loadDemographics();
            loadParents();
            studentJoins = true;
        }

        /** Streams one collection's users of one type; false when students came without their joins (not delivered). */
        boolean users(PatronType type, String collection, String filter) throws IOException {
            SeenIds seen = new SeenIds();
            boolean[] withoutJoins = {false};
            Pager.Result r = Pager.pull(api, collection, "users", filter, pageSize, sink::cancelled, new Pager.Handler() {
                @Override
                public void item(JsonNode user) {
                    if (Users.typeOf(user, types) != type) {
                        return; // another role (P8: /students may leak teachers), or synced under a higher role
                    }
                    if (type == PatronType.STUDENT && !studentJoins) {
                        withoutJoins[0] = true;
                        return;
                    }
                    RosterRecord rec = Users.record(user, type, joins);
                    if (rec == null) {
                        unreadable++;
                        return;
                    }
                    if (seen.add(rec.sourceId())) {
                        sink.accept(rec);
                        delivered++;
                    }
                }

                @Override
                public void total(long total) {
                    if (filter == null && since == null) {
                        sink.expect(type, total); // /students, /teachers of a full read
                    }
                }
            });
            if ("cancelled".equals(r.problem())) {
                throw new Cancelled();
            }
            if (withoutJoins[0]) {
                return false;
            }
            mark(r);
            return true;
        }

        /** Demographics by sourcedId; switched off (403, 404 or empty) is not a problem: birth dates stay as they are. */
        void loadDemographics() throws RosterException {
            try {
                Pager.Result r = Pager.pull(api, "/demographics", "demographics", null, pageSize, sink::cancelled, d -> {
                    String id = Users.id(d);
                    String birth = Users.text(d, "birthDate");
                    String sex = Users.text(d, "sex");
                    if (id != null && !Users.deleted(d) && (!birth.isEmpty() || !sex.isEmpty())) {
                        joins.demographics.put(id, Users.pack(birth, sex));
                    }
                });
                mark(r);
                if (joins.demographics.isEmpty()) {
                    LOG.info("ClassLink tenant {}: no demographics shared; birth dates and sex are not synced", tenant);
                }
            } catch (RosterHttpException e) {
                if (e.status() == 403 || e.status() == 404) {
                    LOG.info("ClassLink tenant {}: demographics are not shared with this app ({}); birth dates and sex are "
                            + "not synced", tenant, e.status());
                    return;
                }
                joinFailed("demographics", e);
            } catch (IOException e) {
                joinFailed("demographics", e);
            }
        }

        /** Parents, guardians and relatives: the names and emails students' agents point at. */
        void loadParents() throws RosterException {
            for (String role : PARENT_ROLES) {
                try {
                    Pager.Result r = Pager.pull(api, "/users", "users", role(role), pageSize, sink::cancelled, p -> {
                        String id = Users.id(p);
                        if (id != null && !Users.deleted(p)) {
                            joins.parents.put(id, Users.pack(Users.text(p, "givenName"), Users.text(p, "familyName"),
                                    Users.text(p, "email")));
                        }
                    });
                    mark(r);
                } catch (RosterHttpException e) {
                    if (e.status() == 403 || e.status() == 400) {
                        LOG.info("ClassLink tenant {}: {} users cannot be read ({}); agents are not resolved", tenant, role,
                                e.status());
                        continue;
                    }
                    joinFailed(role + " users", e);
                } catch (IOException e) {
                    joinFailed(role + " users", e);
                }
            }
        }

        /** Homeroom classes, their teachers' names, and who is enrolled in which homeroom. */
        void loadHomerooms() throws RosterException {
            try {
                java.util.Map<String, String> teacherOfClass = new java.util.HashMap<>();
                java.util.Map<String, String> raw = new java.util.HashMap<>();
                mark(Pager.pull(api, "/classes", "classes", "classType='homeroom'", pageSize, sink::cancelled, c -> {
                    String id = Users.id(c);
                    if (id != null && !Users.deleted(c) && Users.text(c, "classType").equalsIgnoreCase("homeroom")) {
                        raw.put(id, Users.pack(Users.text(c, "classCode"), Users.text(c, "location")));
                    }
                }));
                mark(Pager.pull(api, "/enrollments", "enrollments", null, pageSize, sink::cancelled, e -> {
                    String cls = e.path("class").path("sourcedId").asText("");
                    String user = e.path("user").path("sourcedId").asText("");
                    if (!raw.containsKey(cls) || user.isEmpty() || Users.deleted(e)) {
                        return;
                    }
                    String role = Users.text(e, "role");
                    joins.homeroomOf.put(user, cls);
                    if (role.equalsIgnoreCase("teacher") && (!teacherOfClass.containsKey(cls)
                            || Users.text(e, "primary").equalsIgnoreCase("true"))) {
                        teacherOfClass.put(cls, user);
                    }
                }));
                java.util.Map<String, String> names = new java.util.HashMap<>();
                java.util.Set<String> wanted = new java.util.HashSet<>(teacherOfClass.values());
                mark(Pager.pull(api, "/teachers", "users", null, pageSize, sink::cancelled, t -> {
                    String id = Users.id(t);
                    if (id != null && wanted.contains(id)) {
                        names.put(id, (Users.text(t, "givenName") + " " + Users.text(t, "familyName")).strip());
                    }
                }));
                raw.forEach((cls, codeAndLocation) -> joins.classes.put(cls, codeAndLocation + Users.SEP
                        + names.getOrDefault(teacherOfClass.get(cls), "")));
            } catch (IOException e) {
                joinFailed("homerooms", e);
            }
        }

        void joinFailed(String what, IOException e) throws RosterException {
            String why = e instanceof RosterHttpException h ? explain(h) : e.getMessage();
            if (e instanceof RosterHttpException h && h.status() == 401) {
                throw new RosterException("cannot read the ClassLink roster: " + why, e);
            }
            problems.add(what + " could not be read: " + why);
            readFailure = true;
        }
    }

    private static final class Cancelled extends IOException {
        private static final long serialVersionUID = 1L;
    }
}
