package org.rollbook.connector.classlink.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Optional;

import org.rollbook.http.RosterHttp;
import org.rollbook.http.RosterHttpException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A OneRoster REST binding on the wire: requests relative to the base URL, signed with OAuth 1.0a or carrying an
 * OAuth 2 bearer token (fetched with client credentials, re-fetched once on 401), answers with their paging headers.
 */
final class OneRosterApi {

    /** One answer: the JSON body and the headers the paging rule needs. */
    record Answer(JsonNode body, Optional<Long> totalCount, Optional<Long> count, String permRev, Optional<Instant> date,
            boolean linkNext) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MALFORMED_ATTEMPTS = 6;

    private final RosterHttp http;
    private final URI base;
    private final OAuth1Signer signer;
    private final String clientId;
    private final String clientSecret;
    private final URI tokenUrl;
    private volatile String token;
    private volatile Instant firstDate;
    private volatile Instant tokenExpires = Instant.MIN;

    OneRosterApi(RosterHttp http, URI base, OAuth1Signer signer, String clientId, String clientSecret, URI tokenUrl) {
        this.http = http;
        this.base = base;
        this.signer = signer;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.tokenUrl = tokenUrl;
    }

    URI base() {
        return base;
    }

    boolean oauth2() {
        return signer == null;
    }

    /** GET {@code base + pathAndQuery} ({@code /users?limit=…}); the query must already be percent-encoded. */
    Answer get(String pathAndQuery) throws IOException {
        URI uri = URI.create(base + pathAndQuery);
        if (oauth2()) {
            bearer();
        }
        for (int attempt = 1;; attempt++) {
            // OAuth 2: a 401 fetches a new token once; OAuth 1.0a: a 401 is retried once with a fresh timestamp and nonce
            HttpResponse<String> r = http.send(() -> request(uri), uri, oauth2() ? this::refresh : () -> true);
            JsonNode body;
            try {
                body = JSON.readTree(r.body());
            } catch (JsonProcessingException malformed) {
                if (attempt >= MALFORMED_ATTEMPTS) {
                    throw new RosterHttpException(r.statusCode(), uri.getPath() + ": the answer was not complete JSON (gave up after "
                            + attempt + " attempts)");
                }
                continue;
            }
            if (body == null || body.isMissingNode()) {
                if (attempt >= MALFORMED_ATTEMPTS) {
                    throw new RosterHttpException(r.statusCode(), uri.getPath() + ": the answer was empty");
                }
                continue;
            }
            Optional<Instant> date = date(r);
            if (firstDate == null && date.isPresent()) {
                firstDate = date.get();
            }
            return new Answer(body, number(r, "X-Total-Count"), number(r, "x-count"),
                    r.headers().firstValue("x-perm-rev").map(String::strip).orElse(null), date(r),
                    r.headers().allValues("Link").stream().anyMatch(l -> l.replace(" ", "").contains("rel=\"next\"")));
        }
    }

    /** Starts watching the server's clock: {@link #firstDate()} becomes the Date of the next answer. */
    void watchServerClock() {
        firstDate = null;
    }

    /** The server's Date header of the first answer since {@link #watchServerClock()}, or null. */
    Instant firstDate() {
        return firstDate;
    }

    private HttpRequest request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120)).GET()
                .header("Accept", "application/json");
        if (oauth2()) {
            b.header("Authorization", "Bearer " + token);
        } else {
            b.header("Authorization", signer.header(uri, http.now().getEpochSecond()));
        }
        return b.build();
    }

    private static Optional<Long> number(HttpResponse<String> r, String name) {
        try {
            return r.headers().firstValue(name).map(String::strip).map(Long::parseLong);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> date(HttpResponse<String> r) {
        try {
            return r.headers().firstValue("Date").map(d -> ZonedDateTime.parse(d.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ OAuth 2

    private void bearer() throws IOException {
        if (token == null || http.now().isAfter(tokenExpires.minusSeconds(10))) {
            fetchToken();
        }
    }

    private boolean refresh() throws IOException {
        fetchToken();
        return true;
    }

    private synchronized void fetchToken() throws IOException {
        String basic = Base64.getEncoder().encodeToString((OAuth1Signer.encode(clientId) + ":" + OAuth1Signer.encode(clientSecret))
                .getBytes(StandardCharsets.UTF_8));
        String form = "grant_type=client_credentials";
        HttpResponse<String> r;
        try {
            r = http.send(() -> HttpRequest.newBuilder(tokenUrl).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Basic " + basic).header("Accept", "application/json")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), tokenUrl, null);
        } catch (RosterHttpException e) {
            if (e.status() == 400 || e.status() == 401 || e.status() == 403) {
                throw new RosterHttpException(401, "the token endpoint refused the client ID and secret (" + e.getMessage() + ")");
            }
            throw e;
        }
        JsonNode n;
        try {
            n = JSON.readTree(r.body());
        } catch (JsonProcessingException e) {
            throw new RosterHttpException(r.statusCode(), "the token endpoint did not answer JSON");
        }
        if (!n.path("access_token").isTextual()) {
            throw new RosterHttpException(r.statusCode(), "the token endpoint answered without an access_token");
        }
        token = n.get("access_token").asText();
        long life = n.path("expires_in").asLong(3600);
        tokenExpires = http.now().plusSeconds(Math.max(30, life));
    }
}
