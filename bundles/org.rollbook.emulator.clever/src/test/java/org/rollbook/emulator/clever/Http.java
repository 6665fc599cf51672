package org.rollbook.emulator.clever;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A tiny java.net.http client for the tests. */
final class Http {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    static HttpResponse<String> get(CleverEmulator emu, String pathAndQuery, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emu.baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    static HttpResponse<String> get(CleverEmulator emu, String pathAndQuery) {
        return get(emu, pathAndQuery, emu.districtToken());
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> send(HttpRequest req) {
        try {
            return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode ok(CleverEmulator emu, String pathAndQuery) {
        HttpResponse<String> r = get(emu, pathAndQuery);
        if (r.statusCode() != 200) {
            throw new AssertionError(pathAndQuery + " -> " + r.statusCode() + " " + r.body());
        }
        return json(r);
    }

    static String link(JsonNode page, String rel) {
        for (JsonNode l : page.path("links")) {
            if (rel.equals(l.path("rel").asText())) {
                return l.path("uri").asText();
            }
        }
        return null;
    }

    static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        for (JsonNode item : page.path("data")) {
            ids.add(item.path("data").path("id").asText());
        }
        return ids;
    }

    /** Follows next links from {@code first} to the end; returns every id. */
    static List<String> all(CleverEmulator emu, String first) {
        List<String> ids = new ArrayList<>();
        String url = first;
        while (url != null) {
            JsonNode page = ok(emu, url);
            ids.addAll(ids(page));
            url = page.path("data").isEmpty() ? null : link(page, "next");
        }
        return ids;
    }
}
