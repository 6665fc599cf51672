package org.rollbook.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Retries, rate-limit waits and token refresh against a scripted server on loopback. */
class RosterHttpTest {

    record Answer(int status, String body, Map<String, String> headers) {
        static Answer json(int status, String body) {
            return new Answer(status, body, Map.of("Content-Type", "application/json"));
        }
    }

    HttpServer server;
    final Deque<Answer> script = new ArrayDeque<>();
    final List<String> authorizations = new ArrayList<>();
    final List<Duration> slept = new ArrayList<>();
    final Instant now = Instant.parse("2026-11-25T10:00:00Z");
    RosterHttp http;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        http = new RosterHttp(new RosterHttp.Settings(Duration.ofSeconds(2), Duration.ofSeconds(2), 4, Duration.ofMillis(100),
                Duration.ofSeconds(5), 3), slept::add, Clock.fixed(now, ZoneOffset.UTC), new Random(1));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        authorizations.add(ex.getRequestHeaders().getFirst("Authorization"));
        Answer a = script.isEmpty() ? Answer.json(200, "{\"ok\":true}") : script.poll();
        a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v3.0/users");
    }

    @Test
    void serverErrorsAreRetriedWithGrowingJitteredBackoff() throws Exception {
        script.add(Answer.json(503, "{\"message\":\"busy\"}"));
        script.add(Answer.json(502, "<html>bad gateway</html>"));
        assertTrue(http.getJson(uri(), () -> Map.of(), null).get("ok").asBoolean());
        assertEquals(2, slept.size());
        assertTrue(slept.get(0).toMillis() >= 50 && slept.get(0).toMillis() <= 100, slept.toString());
        assertTrue(slept.get(1).toMillis() >= 100 && slept.get(1).toMillis() <= 200, slept.toString());
    }

    @Test
    void aTruncatedBodyIsRetried() throws Exception {
        script.add(Answer.json(200, "{\"data\":[{\"id\":\"a\"},"));
        assertTrue(http.getJson(uri(), () -> Map.of(), null).get("ok").asBoolean());
        assertEquals(1, http.retries());
    }

    @Test
    void itGivesUpAfterTheAttemptBudgetWithAMessage() {
        for (int i = 0; i < 4; i++) {
            script.add(Answer.json(500, "{}"));
        }
        RosterHttpException e = assertThrows(RosterHttpException.class, () -> http.getJson(uri(), () -> Map.of(), null));
        assertEquals(500, e.status());
        assertTrue(e.getMessage().contains("gave up after 4 attempts"), e.getMessage());
    }

    @Test
    void a429WaitsUntilTheWindowResetsInsteadOfRetryingHot() throws Exception {
        long reset = now.getEpochSecond() + 42;
        script.add(new Answer(429, "", Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(reset))));
        assertTrue(http.getJson(uri(), () -> Map.of(), null).get("ok").asBoolean());
        assertEquals(1, slept.size());
        assertTrue(slept.get(0).toSeconds() >= 42 && slept.get(0).toSeconds() <= 44, slept.toString());
    }

    @Test
    void noRequestsLeftMeansTheNextRequestWaitsFirst() throws Exception {
        long reset = now.getEpochSecond() + 10;
        script.add(new Answer(200, "{\"page\":1}", Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(reset))));
        http.getJson(uri(), () -> Map.of(), null);
        assertEquals(List.of(), slept);
        http.getJson(uri(), () -> Map.of(), null);
        assertEquals(1, slept.size(), "waited before asking again");
        assertTrue(slept.get(0).toSeconds() >= 10);
    }

    @Test
    void a401RefreshesTheTokenOnceThenFails() throws Exception {
        String[] token = {"old"};
        script.add(Answer.json(401, "{\"message\":\"invalid token\"}"));
        assertTrue(http.getJson(uri(), () -> Map.of("Authorization", "Bearer " + token[0]), () -> {
            token[0] = "new";
            return true;
        }).get("ok").asBoolean());
        assertEquals(List.of("Bearer old", "Bearer new"), authorizations);

        script.add(Answer.json(401, "{\"message\":\"invalid token\"}"));
        script.add(Answer.json(401, "{\"message\":\"still invalid\"}"));
        RosterHttpException e = assertThrows(RosterHttpException.class,
                () -> http.getJson(uri(), () -> Map.of(), () -> true));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().endsWith("answered 401: still invalid"), e.getMessage());
    }

    @Test
    void clientErrorsAreNotRetriedAndHtmlIsReadable() {
        script.add(new Answer(404, "<!DOCTYPE html><html><body><pre>Cannot GET /v3.0/nope</pre></body></html>",
                Map.of("Content-Type", "text/html")));
        RosterHttpException e = assertThrows(RosterHttpException.class, () -> http.getJson(uri(), () -> Map.of(), null));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().endsWith("answered 404: Cannot GET /v3.0/nope"), e.getMessage());
        assertEquals(0, http.retries());
    }

    @Test
    void anUnreachableHostIsRetriedThenNamed() {
        RosterHttpException e = assertThrows(RosterHttpException.class,
                () -> http.getJson(URI.create("http://127.0.0.1:1/x"), () -> Map.of(), null));
        assertTrue(e.getMessage().contains("cannot connect to 127.0.0.1:1"), e.getMessage());
        assertEquals(3, slept.size());
    }
}
