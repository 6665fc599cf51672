package org.rollbook.sso.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Clever Instant Login (clever-api.md §3.2): {@code /oauth/authorize} with {@code district_id}, the code
 * exchanged at {@code /oauth/tokens} with HTTP Basic client authentication and a JSON body, then
 * {@code /v3.0/me} → {@code data.id} (the user's v3 id, our GUID) and {@code data.district}.
 */
final class CleverSso implements SsoProvider {
    private final OAuthClient http;
    private final String clientId;
    private final String clientSecret;
    private final URI oauth;
    private final URI api;

    CleverSso(OAuthClient http, String clientId, String clientSecret, URI oauth, URI api) {
        this.http = http;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.oauth = oauth;
        this.api = api;
    }

    @Override
    public String name() {
        return "clever";
    }

    @Override
    public String label() {
        return "Clever";
    }

    @Override
    public URI authorize(String state, String redirectUri, String district) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", clientId);
        q.put("redirect_uri", redirectUri);
        q.put("state", state);
        if (district != null) {
            q.put("district_id", district);
        }
        return oauth.resolve("/oauth/authorize?" + OAuthClient.form(q));
    }

    @Override
    public Identity identify(String code, String redirectUri) throws Refusal {
        String body;
        try {
            body = new ObjectMapper().writeValueAsString(Map.of("code", code, "grant_type", "authorization_code", "redirect_uri", redirectUri));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        String token = http.token("Clever", OAuthClient.post(oauth.resolve("/oauth/tokens"), "application/json", body)
                .header("Authorization", "Basic " + basic).build());
        JsonNode data = http.get("Clever", api.resolve("/v3.0/me"), token).path("data");
        String id = data.path("id").asText("");
        String district = data.path("district").asText("");
        if (id.isBlank() || district.isBlank()) {
            throw new Refusal(502, "Clever did not say who signed in");
        }
        return new Identity(name(), district, id, data.path("type").asText(""));
    }
}
