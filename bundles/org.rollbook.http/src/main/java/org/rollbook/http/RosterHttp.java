package org.rollbook.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON over HTTP the way a roster provider needs it: 5xx, timeouts, resets and malformed bodies are
 * retried with exponential backoff and full jitter up to {@code maxAttempts}; a 429 waits until the
 * rate-limit window resets (never retried hot); when the provider says no requests are left, the next
 * request waits first; a 401 calls the auth refresher once. Headers are never logged.
 */
public final class RosterHttp {

    /** Sleeps; tests replace it to move a clock instead of waiting. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** Fresh credentials after a 401 (e.g. re-fetch a rotated token); returns false when it cannot. */
    @FunctionalInterface
    public interface AuthRefresh {
        boolean refresh() throws IOException;
    }

    /**
     * @param connectTimeout   to open a connection
     * @param requestTimeout   for a whole response
     * @param maxAttempts      attempts per request for retryable failures
     * @param baseBackoff      first backoff; doubles per attempt
     * @param maxBackoff       cap of one backoff
     * @param maxRateLimitWaits 429s tolerated per request before giving up
     */
    public record Settings(Duration connectTimeout, Duration requestTimeout, int maxAttempts, Duration baseBackoff,
            Duration maxBackoff, int maxRateLimitWaits) {

        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(10), Duration.ofSeconds(120), 6, Duration.ofMillis(500),
                    Duration.ofSeconds(30), 20);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final Settings settings;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Random random;
    private final AtomicLong retries = new AtomicLong();
    private volatile int remaining = -1;
    private volatile long resetEpochSecond;

    public RosterHttp(Settings settings, Sleeper sleeper, Clock clock, Random random) {
        this.settings = settings;
        this.sleeper = sleeper;
        this.clock = clock;
        this.random = random;
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public static RosterHttp standard() {
        return new RosterHttp(Settings.defaults(), d -> Thread.sleep(d.toMillis()), Clock.systemUTC(), new Random());
    }

    /** How many retries (of any kind) this client has made so far. */
    public long retries() {
        return retries.get();
    }

    /**
     * GETs a JSON document; headers are computed per attempt (so a refreshed token is used). A body that
     * is not complete JSON (a connection cut mid-answer) is retried like a 5xx.
     */
    public JsonNode getJson(URI uri, java.util.function.Supplier<Map<String, String>> headers, AuthRefresh onUnauthorized)
            throws IOException {
        int attempt = 0;
        while (true) {
            HttpResponse<String> r = send(() -> get(uri, headers.get()), uri, onUnauthorized);
            try {
                return JSON.readTree(r.body());
            } catch (JsonProcessingException malformed) {
                attempt = retryOrFail(attempt, 0, uri, "the answer was not complete JSON (" + firstLine(malformed) + ")");
            }
        }
    }

    /** The raw answer of a successful request (status 2xx), after retries. */
    public HttpResponse<String> send(java.util.function.Supplier<HttpRequest> request, URI uri, AuthRefresh onUnauthorized)
            throws IOException {
        int attempt = 0;
        int rateLimited = 0;
        boolean refreshed = false;
        while (true) {
            waitForRateLimit();
            HttpResponse<String> r;
            try {
                r = client.send(request.get(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (HttpTimeoutException e) {
                attempt = retryOrFail(attempt, 0, uri, "no answer within " + settings.requestTimeout().toSeconds() + " s");
                continue;
            } catch (ConnectException e) {
                attempt = retryOrFail(attempt, 0, uri, "cannot connect to " + uri.getHost() + ":" + port(uri));
                continue;
            } catch (IOException e) {
                attempt = retryOrFail(attempt, 0, uri, "the connection broke (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RosterHttpException(0, "interrupted");
            }
            readRateLimit(r);
            int status = r.statusCode();
            if (status >= 200 && status < 300) {
                return r;
            }
            if (status == 429) {
                if (++rateLimited > settings.maxRateLimitWaits()) {
                    throw new RosterHttpException(429, uri.getPath() + ": still rate-limited after " + rateLimited + " waits");
                }
                retries.incrementAndGet();
                sleep(untilReset().orElse(backoff(rateLimited)));
                remaining = -1; // this wait covers the window; do not wait for it again before the retry
                continue;
            }
            if (status == 401 && !refreshed && onUnauthorized != null) {
                refreshed = true;
                if (onUnauthorized.refresh()) {
                    retries.incrementAndGet();
                    continue;
                }
            }
            if (status >= 500 && status != 501) {
                attempt = retryOrFail(attempt, status, uri, "the server answered " + status);
                continue;
            }
            throw new RosterHttpException(status, uri.getPath() + " answered " + status + describe(r));
        }
    }

    private HttpRequest get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout()).GET()
                .header("Accept", "application/json");
        headers.forEach(b::header);
        return b.build();
    }

    private int retryOrFail(int attempt, int status, URI uri, String why) throws RosterHttpException {
        int next = attempt + 1;
        if (next >= settings.maxAttempts()) {
            throw new RosterHttpException(status, uri.getPath() + ": " + why + " (gave up after " + next + " attempts)");
        }
        retries.incrementAndGet();
        sleep(backoff(next));
        return next;
    }

    /** Exponential backoff with full jitter: a random wait up to base × 2^(attempt-1), capped. */
    Duration backoff(int attempt) {
        long cap = Math.min(settings.maxBackoff().toMillis(),
                settings.baseBackoff().toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(cap / 2 + (long) (random.nextDouble() * (cap / 2.0)));
    }

    private void waitForRateLimit() throws RosterHttpException {
        if (remaining == 0) {
            untilReset().ifPresent(this::sleepQuietly);
            remaining = -1;
        }
    }

    private java.util.Optional<Duration> untilReset() {
        if (resetEpochSecond <= 0) {
            return java.util.Optional.empty();
        }
        long waitMs = resetEpochSecond * 1000 - clock.millis();
        // one second of slack plus jitter, so a fleet of clients does not return at the same instant
        return java.util.Optional.of(Duration.ofMillis(Math.max(0, waitMs) + 1000 + random.nextInt(500)));
    }

    private void readRateLimit(HttpResponse<String> r) {
        List<String> left = r.headers().allValues("X-RateLimit-Remaining");
        List<String> reset = r.headers().allValues("X-RateLimit-Reset");
        if (left.isEmpty() || reset.isEmpty()) {
            return;
        }
        try {
            int min = Integer.MAX_VALUE;
            long resetAt = 0;
            // several buckets may be reported, aligned by index: the tightest one decides
            for (int i = 0; i < left.size(); i++) {
                int n = Integer.parseInt(left.get(i).strip());
                if (n < min) {
                    min = n;
                    resetAt = Long.parseLong(reset.get(Math.min(i, reset.size() - 1)).strip());
                }
            }
            remaining = min;
            resetEpochSecond = resetAt;
        } catch (NumberFormatException ignored) {
            // unreadable headers: rely on 429 handling
        }
    }

    private void sleep(Duration d) throws RosterHttpException {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RosterHttpException(0, "interrupted while waiting to retry");
        }
    }

    private void sleepQuietly(Duration d) {
        try {
            sleep(d);
        } catch (RosterHttpException e) {
            // interrupted: the next request will notice
        }
    }

    private static String describe(HttpResponse<String> r) {
        String type = r.headers().firstValue("Content-Type").orElse("");
        String body = r.body() == null ? "" : r.body().strip();
        if (body.isEmpty()) {
            return "";
        }
        if (type.contains("html") || body.startsWith("<")) {
            int pre = body.indexOf("<pre>");
            return pre >= 0 ? ": " + body.substring(pre + 5, Math.max(pre + 5, body.indexOf("</pre>", pre))) : " (an HTML page)";
        }
        try {
            JsonNode n = JSON.readTree(body);
            for (String k : List.of("error_description", "message", "error", "imsx_description")) {
                if (n.hasNonNull(k) && n.get(k).isTextual()) {
                    return ": " + n.get(k).asText();
                }
            }
        } catch (JsonProcessingException notJson) {
            // fall through
        }
        return ": " + (body.length() > 200 ? body.substring(0, 200) + "…" : body);
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Now, by this client's clock (for tests that move time). */
    public Instant now() {
        return clock.instant();
    }
}
