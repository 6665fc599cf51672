package org.rollbook.connector.clever.internal;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.rollbook.api.roster.RosterState;
import org.rollbook.api.security.Secrets;
import org.rollbook.http.RosterHttp;
import org.rollbook.http.RosterHttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Clever's Data API v3.0 as a roster: users by role in cursor pages (multi-role users once, by role
 * precedence), events for incremental syncs with a cursor seeded before each full sync, and a fetch
 * that says honestly whether it read everything.
 */
@Component(configurationPid = CleverConnector.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = RosterConnector.PROVIDER + "=clever")
@Designate(ocd = CleverConfiguration.class)
public class CleverConnector implements RosterConnector {

    static final String PID = "org.rollbook.connector.clever";
    /** A cursor meaning "the feed was empty at this time": read events from the start of the feed. */
    static final String FEED_START = "start@";
    private static final Logger LOG = LoggerFactory.getLogger(CleverConnector.class);

    private final String district;
    private final CleverApi api;
    private final int pageSize;
    private final Duration cursorMaxAge;

    @Activate
    public CleverConnector(CleverConfiguration c, @Reference Secrets secrets) {
        this(c, RosterHttp.standard(), secrets::open);
    }

    /** Outside a framework (benchmarks, tools): secrets in the configuration are plain text. */
    public CleverConnector(CleverConfiguration c) {
        this(c, RosterHttp.standard());
    }

    CleverConnector(CleverConfiguration c, RosterHttp http) {
        this(c, http, UnaryOperator.identity());
    }

    /** {@code reveal} opens the secrets of the configuration (sealed with the server's key file). */
    CleverConnector(CleverConfiguration c, RosterHttp http, UnaryOperator<String> reveal) {
        this.district = DistrictId.parse(c.district());
        if (c.pageSize() < 1 || c.pageSize() > 10_000) {
            throw new IllegalArgumentException("page size must be between 1 and 10000 (Clever's limit), not " + c.pageSize());
        }
        this.pageSize = c.pageSize();
        this.cursorMaxAge = Duration.ofDays(Math.max(1, c.cursorMaxAgeDays()));
        this.api = new CleverApi(http, host(c.apiUrl(), "API URL"), host(c.oauthUrl(), "OAuth URL"), district,
                c.clientId().strip(), reveal.apply(c.clientSecret().strip()), reveal.apply(c.districtToken().strip()));
        if (c.districtToken().isBlank() && !api.hasClientCredentials()) {
            throw new IllegalArgumentException("configure either a district token or the app's client ID and secret");
        }
    }

    private static URI host(String url, String what) {
        try {
            URI u = URI.create(url.strip());
            if (u.getScheme() == null || u.getHost() == null) {
                throw new IllegalArgumentException(what + " '" + url + "' is not an http(s) URL");
            }
            return URI.create(u.getScheme() + "://" + u.getRawAuthority());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + url + "' is not an http(s) URL");
        }
    }

    @Override
    public String provider() {
        return "clever";
    }

    @Override
    public String account() {
        return district;
    }

    @Override
    public ConnectionCheck check() {
        try {
            api.token();
        } catch (RosterHttpException e) {
            return new ConnectionCheck(false, e.status() == 0 && e.getMessage().startsWith("/oauth")
                    ? "cannot reach Clever's OAuth host: " + e.getMessage() : e.getMessage());
        } catch (IOException e) {
            return new ConnectionCheck(false, "cannot reach Clever: " + e.getMessage());
        }
        try {
            JsonNode d = api.get("/v3.0/districts");
            JsonNode first = d.path("data").path(0).path("data");
            String id = first.path("id").asText();
            if (!district.equals(id)) {
                return new ConnectionCheck(false, "the token belongs to district " + id + ", not " + district);
            }
            return new ConnectionCheck(true, "connected to " + first.path("name").asText(id) + " (" + id + ")");
        } catch (RosterHttpException e) {
            if (e.status() == 401) {
                return new ConnectionCheck(false, "Clever refused the district token (revoked or rotated?)");
            }
            if (String.valueOf(e.getMessage()).toLowerCase().contains("version not supported")) {
                return new ConnectionCheck(false, "Clever no longer supports API v3.0 for this app: " + e.getMessage());
            }
            return new ConnectionCheck(false, e.getMessage());
        } catch (IOException e) {
            return new ConnectionCheck(false, "cannot reach Clever: " + e.getMessage());
        }
    }

    @Override
    public List<RosterSchool> schools() throws RosterException {
        List<RosterSchool> out = new ArrayList<>();
        try {
            for (String next = "/v3.0/schools?limit=" + pageSize; next != null;) {
                JsonNode page = api.get(next);
                for (JsonNode item : page.path("data")) {
                    JsonNode s = item.path("data");
                    out.add(new RosterSchool(s.path("id").asText(), s.path("name").asText(), s.path("school_number").asText("")));
                }
                next = nextLink(page);
            }
        } catch (IOException e) {
            throw new RosterException("cannot list Clever schools: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public FetchReport fetch(FetchRequest request, RosterSink sink) throws RosterException {
        if (request.kind() == FetchKind.CHANGES) {
            String why = cursorProblem(request.cursor());
            if (why != null) {
                LOG.info("Clever district {}: {}; reading the whole roster", district, why);
                return full(request.types(), sink).performedFull(why + ", so the whole roster was read");
            }
            return changes(request.cursor(), request.types(), sink);
        }
        return full(request.types(), sink);
    }

    // ------------------------------------------------------------------ full

    private FetchReport full(Set<PatronType> types, RosterSink sink) throws RosterException {
        String cursor = newestEvent(); // seeded before the full read, so nothing that happens during it is missed
        long delivered = 0;
        int unreadable = 0;
        for (PatronType type : CleverUsers.PRECEDENCE) {
            if (!types.contains(type)) {
                continue;
            }
            String next = "/v3.0/users?role=" + CleverUsers.role(type) + "&limit=" + pageSize;
            while (next != null) {
                if (sink.cancelled()) {
                    return FetchReport.incomplete("cancelled", cursor, delivered);
                }
                JsonNode page;
                try {
                    page = api.get(next);
                } catch (IOException e) {
                    if (delivered == 0 && type == firstOf(types)) {
                        throw new RosterException("cannot read Clever users: " + e.getMessage(), e);
                    }
                    return FetchReport.incomplete("reading " + CleverUsers.role(type) + "s broke off: " + e.getMessage(),
                            cursor, delivered);
                }
                JsonNode data = page.path("data");
                for (JsonNode item : data) {
                    JsonNode user = item.path("data");
                    // a multi-role user comes once, as the type of its highest requested role
                    if (CleverUsers.typeOf(user, types) != type) {
                        continue;
                    }
                    RosterRecord r = CleverUsers.record(user, type, RosterState.ACTIVE);
                    if (r == null) {
                        unreadable++;
                        continue;
                    }
                    sink.accept(r);
                    delivered++;
                }
                next = data.isEmpty() ? null : nextLink(page);
            }
        }
        if (unreadable > 0) {
            return FetchReport.incomplete(unreadable + " user record(s) could not be read", cursor, delivered);
        }
        return FetchReport.complete(cursor, delivered);
    }

    private static PatronType firstOf(Set<PatronType> types) {
        return CleverUsers.PRECEDENCE.stream().filter(types::contains).findFirst().orElse(null);
    }

    /**
     * The newest event's id; {@code start@<epoch seconds>} when the feed is empty (the next incremental
     * reads the feed from its start); null when the events API cannot be read.
     */
    private String newestEvent() {
        try {
            JsonNode page = api.get("/v3.0/events?ending_before=last&limit=1");
            JsonNode id = page.path("data").path(0).path("data").path("id");
            return id.isTextual() ? id.asText() : FEED_START + Instant.now().getEpochSecond();
        } catch (IOException e) {
            LOG.info("Clever district {}: no events cursor ({}); incremental syncs will read the whole roster", district,
                    e.getMessage());
            return null;
        }
    }

    // ------------------------------------------------------------------ changes

    /** Why a stored cursor cannot be trusted, or null. */
    String cursorProblem(String cursor) {
        Instant created;
        if (cursor != null && cursor.matches(FEED_START + "\\d{1,12}")) {
            created = Instant.ofEpochSecond(Long.parseLong(cursor.substring(FEED_START.length())));
        } else if (cursor != null && cursor.matches("[0-9a-f]{24}")) {
            created = Instant.ofEpochSecond(Long.parseLong(cursor.substring(0, 8), 16));
        } else {
            return "there is no usable events cursor";
        }
        Duration age = Duration.between(created, Instant.now());
        if (age.compareTo(cursorMaxAge) > 0) {
            return "the events cursor is " + age.toDays() + " days old and Clever keeps events for 30 days";
        }
        if (age.isNegative() && age.abs().compareTo(Duration.ofDays(1)) > 0) {
            return "the events cursor lies in the future";
        }
        return null;
    }

    /**
     * Events since the cursor. Several events for one user collapse into the last one (the engine
     * takes each person once); the cursor only moves past pages that were read whole.
     */
    private FetchReport changes(String cursor, Set<PatronType> types, RosterSink sink) throws RosterException {
        Map<String, RosterRecord> latest = new LinkedHashMap<>();
        String position = cursor;
        String next = "/v3.0/events?" + (cursor.startsWith(FEED_START) ? "" : "starting_after=" + cursor + "&")
                + "limit=" + pageSize + "&record_type=users";
        String broke = null;
        int unreadable = 0;
        while (next != null) {
            if (sink.cancelled()) {
                return FetchReport.incomplete("cancelled", cursor, 0);
            }
            JsonNode page;
            try {
                page = api.get(next);
            } catch (IOException e) {
                if (position.equals(cursor)) {
                    throw new RosterException("cannot read Clever events: " + e.getMessage(), e);
                }
                broke = "reading events broke off: " + e.getMessage();
                break;
            }
            JsonNode data = page.path("data");
            for (JsonNode item : data) {
                JsonNode event = item.path("data");
                String type = event.path("type").asText();
                JsonNode user = event.path("data").path("object");
                if (type.startsWith("users.")) {
                    PatronType as = CleverUsers.typeOf(user, types);
                    RosterRecord r = as == null ? null
                            : CleverUsers.record(user, as, type.equals("users.deleted") ? RosterState.DELETED : RosterState.ACTIVE);
                    if (as != null && r == null) {
                        unreadable++;
                    } else if (r != null) {
                        latest.remove(r.sourceId());
                        latest.put(r.sourceId(), r);
                    }
                }
                if (event.path("id").isTextual()) {
                    position = event.path("id").asText();
                }
            }
            next = data.isEmpty() ? null : nextLink(page);
        }
        for (RosterRecord r : latest.values()) {
            sink.accept(r);
        }
        if (broke != null || unreadable > 0) {
            return FetchReport.incomplete(broke != null ? broke : unreadable + " event(s) could not be read", position,
                    latest.size());
        }
        return FetchReport.complete(position, latest.size());
    }

    private static String nextLink(JsonNode page) {
        for (JsonNode link : page.path("links")) {
            if ("next".equals(link.path("rel").asText()) && link.path("uri").isTextual()) {
                return link.get("uri").asText();
            }
        }
        return null;
    }
}
