package org.rollbook.sso.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * ClassLink OAuth 2 (oneroster-api.md §3.3): LaunchPad {@code /oauth2/v2/auth}, the code exchanged at
 * {@code /oauth2/v2/token} (form-encoded client id, secret and code), then {@code /v2/my/info} →
 * {@code TenantId} and {@code SourcedId} (the OneRoster sourcedId, our GUID).
 */
final class ClassLinkSso implements SsoProvider {
    private final OAuthClient http;
    private final String clientId;
    private final String clientSecret;
    private final URI launchpad;
    private final URI info;

    ClassLinkSso(OAuthClient http, String clientId, String clientSecret, URI launchpad, URI info) {
        this.http = http;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.launchpad = launchpad;
        this.info = info;
    }

    @Override
    public String name() {
        return "classlink";
    }

    @Override
    public String label() {
        return "ClassLink";
    }

    @Override
    public URI authorize(String state, String redirectUri, String tenant) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("client_id", clientId);
        q.put("scope", "profile,oneroster");
        q.put("redirect_uri", redirectUri);
        q.put("response_type", "code");
        q.put("state", state);
        return launchpad.resolve("/oauth2/v2/auth?" + OAuthClient.form(q));
    }

    @Override
    public Identity identify(String code, String redirectUri) throws Refusal {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        String token = http.token("ClassLink", OAuthClient.post(launchpad.resolve("/oauth2/v2/token"),
                "application/x-www-form-urlencoded", OAuthClient.form(form)).build());
        JsonNode me = http.get("ClassLink", info.resolve("/v2/my/info"), token);
        String tenant = me.path("TenantId").asText("");
        String sourcedId = me.path("SourcedId").asText("");
        if (tenant.isBlank()) {
            throw new Refusal(502, "ClassLink did not say which district you signed in with");
        }
        if (sourcedId.isBlank()) {
            throw new Refusal(403, "Your ClassLink account has no roster ID (OneRoster is not enabled for it), so the library "
                    + "cannot find your patron record. Please ask the library.");
        }
        return new Identity(name(), tenant, sourcedId, me.path("Role").asText(""));
    }
}
