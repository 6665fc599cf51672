package org.rollbook.emulator.oneroster;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Test client over real HTTP. */
final class Http {
    static final ObjectMapper M = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final SecureRandom R = new SecureRandom();

    private Http() {}

    static String q(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"); }

    static String token(OneRosterEmulator e) throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString((q(e.clientId()) + ":" + q(e.clientSecret())).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(e.tokenUrl()).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new AssertionError("token: " + r.statusCode() + " " + r.body());
        return M.readTree(r.body()).get("access_token").asText();
    }

    static HttpResponse<String> bearer(URI uri, String token) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String nonce() {
        String a = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) sb.append(a.charAt(R.nextInt(a.length())));
        return sb.toString();
    }

    static HttpResponse<String> signed(OneRosterEmulator e, URI uri, boolean javaEncoding) throws Exception {
        String h = TestSigner.header(uri, e.consumerKey(), e.consumerSecret(), System.currentTimeMillis() / 1000, nonce(), javaEncoding);
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Authorization", h).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception { return M.readTree(r.body()); }

    static String minor(JsonNode n) {
        return n.path("imsx_CodeMinor").path("imsx_codeMinorField").path(0).path("imsx_codeMinorFieldValue").asText();
    }
}
