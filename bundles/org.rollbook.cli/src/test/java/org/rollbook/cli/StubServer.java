package org.rollbook.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A stand-in for the server's JSON API: canned answers per "METHOD /path?query", the requests it got. */
final class StubServer implements AutoCloseable {

    record Request(String method, String target, String authorization, String body) {
    }

    private record Reply(int status, String contentType, String body) {
    }

    private final HttpServer http;
    private final Map<String, Deque<Reply>> replies = new HashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    StubServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", this::handle);
        http.start();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    int port() {
        return http.getAddress().getPort();
    }

    /** Answers {@code target} (e.g. "GET /api/health") with these, in turn; the last one repeats. */
    StubServer on(String target, int status, String... jsonBodies) {
        Deque<Reply> q = replies.computeIfAbsent(target, k -> new ArrayDeque<>());
        for (String b : jsonBodies) {
            q.add(new Reply(status, "application/json", b));
        }
        return this;
    }

    StubServer onText(String target, int status, String contentType, String body) {
        replies.computeIfAbsent(target, k -> new ArrayDeque<>()).add(new Reply(status, contentType, body));
        return this;
    }

    private synchronized Reply next(String target) {
        Deque<Reply> q = replies.get(target);
        if (q == null || q.isEmpty()) {
            return new Reply(404, "application/json", "{\"error\":\"stub: no answer for " + target + "\"}");
        }
        return q.size() > 1 ? q.poll() : q.peek();
    }

    private void handle(HttpExchange x) throws IOException {
        String target = x.getRequestMethod() + " " + x.getRequestURI();
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(x.getRequestMethod(), x.getRequestURI().toString(), x.getRequestHeaders().getFirst("Authorization"),
                body));
        Reply r = next(target);
        byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", r.contentType());
        x.sendResponseHeaders(r.status(), bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
