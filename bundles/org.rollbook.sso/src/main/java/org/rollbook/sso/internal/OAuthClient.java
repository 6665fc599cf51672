package org.rollbook.sso.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The few HTTP calls of an OAuth 2 authorization-code login: the code exchange and the user-info
 * read. One attempt each (a person is waiting); tokens and codes are never logged or shown.
 */
final class OAuthClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The access token from a token endpoint's answer; an error answer is a refusal naming the provider's error. */
    String token(String provider, HttpRequest request) throws Refusal {
        JsonNode body = send(provider, request, "the sign-in code");
        JsonNode token = body.get("access_token");
        if (token == null || !token.isTextual() || token.asText().isBlank()) {
            throw new Refusal(502, provider + " answered the sign-in without an access token");
        }
        return token.asText();
    }

    /** A JSON document read with a bearer token. */
    JsonNode get(String provider, URI uri, String accessToken) throws Refusal {
        return send(provider, HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + accessToken)
                .header("Accept", "application/json").GET().build(), "who signed in");
    }

    static HttpRequest.Builder post(URI uri, String contentType, String body) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Content-Type", contentType).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private JsonNode send(String provider, HttpRequest request, String what) throws Refusal {
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Refusal(502, provider + " could not be reached to confirm " + what + " (" + e.getClass().getSimpleName()
                    + "). Please try again in a moment.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refusal(503, "the server is shutting down");
        }
        JsonNode body;
        try {
            body = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            body = JSON.createObjectNode();
        }
        if (r.statusCode() / 100 != 2) {
            String error = body.path("error").asText("");
            if (error.equals("invalid_grant") || (r.statusCode() == 400 && body.toString().toLowerCase().contains("invalid grant"))) {
                throw new Refusal(400, "This sign-in link was already used or has expired. Please start again.");
            }
            if (r.statusCode() == 401 || error.equals("invalid_client")) {
                throw new Refusal(502, provider + " did not accept the library's app credentials: ask the library's administrator "
                        + "to check the " + provider + " sign-in settings.");
            }
            throw new Refusal(502, provider + " refused to confirm " + what + " (HTTP " + r.statusCode()
                    + (error.isEmpty() ? "" : ", " + error) + "). Please start again.");
        }
        if (!body.isObject()) {
            throw new Refusal(502, provider + " answered in a form this server does not understand");
        }
        return body;
    }
}
