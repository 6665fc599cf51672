package org.rollbook.connector.clever.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.rollbook.http.RosterHttp;
import org.rollbook.http.RosterHttpException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Clever on the wire: the district token (given, or fetched with the app's client credentials and
 * re-fetched once when Clever answers 401), and GETs of root-relative links against the API host.
 */
final class CleverApi {

    private final RosterHttp http;
    private final URI api;
    private final URI oauth;
    private final String district;
    private final String clientId;
    private final String clientSecret;
    private final String givenToken;
    private volatile String token;

    CleverApi(RosterHttp http, URI api, URI oauth, String district, String clientId, String clientSecret, String givenToken) {
        this.http = http;
        this.api = api;
        this.oauth = oauth;
        this.district = district;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.givenToken = givenToken;
    }

    boolean hasClientCredentials() {
        return !clientId.isBlank() && !clientSecret.isBlank();
    }

    /** A GET of a root-relative path ({@code /v3.0/users?role=student}), with the bearer token. */
    JsonNode get(String pathAndQuery) throws IOException {
        URI uri = api.resolve(pathAndQuery.startsWith("/") ? pathAndQuery : "/" + pathAndQuery);
        token(); // the supplier reads the field, so a token refreshed after a 401 is used on the retry
        return http.getJson(uri, () -> Map.of("Authorization", "Bearer " + token), this::refreshToken);
    }

    String token() throws IOException {
        if (token == null) {
            token = !givenToken.isBlank() ? givenToken : fetchToken();
        }
        return token;
    }

    private boolean refreshToken() throws IOException {
        if (!hasClientCredentials()) {
            return false;
        }
        token = fetchToken();
        return true;
    }

    /** The district's token from {@code GET /oauth/tokens?owner_type=district&district=…} with Basic auth. */
    private String fetchToken() throws IOException {
        if (!hasClientCredentials()) {
            throw new RosterHttpException(0, "neither a district token nor the app's client ID and secret are configured");
        }
        URI uri = oauth.resolve("/oauth/tokens?owner_type=district&district=" + URLEncoder.encode(district, StandardCharsets.UTF_8));
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        JsonNode answer;
        try {
            answer = http.getJson(uri, () -> Map.of("Authorization", "Basic " + basic), null);
        } catch (RosterHttpException e) {
            if (e.status() == 401 || e.status() == 400 || e.status() == 403) {
                throw new RosterHttpException(e.status(), "Clever refused the client ID and secret (" + e.getMessage() + ")");
            }
            throw e;
        }
        for (JsonNode t : answer.path("data")) {
            if (district.equals(t.path("owner").path("id").asText()) && t.hasNonNull("access_token")) {
                return t.get("access_token").asText();
            }
        }
        throw new RosterHttpException(404, "district " + district + " has not shared its data with this app (Clever lists no token for it)");
    }
}
