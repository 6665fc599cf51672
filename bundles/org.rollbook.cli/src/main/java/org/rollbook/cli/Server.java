package org.rollbook.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Rollbook server's JSON API, as one admin's script talks to it: where it is, the bearer token, the calls. */
final class Server {

    /** Where {@code run/rollbook} keeps the token, below the server's working directory. */
    static final String TOKEN_FILE = "data/security/cli.token";
    static final String HTTP_CONFIG = "etc/org.apache.felix.http.cfg";

    /** An answer of any status, its body as sent. */
    record Answer(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        Map<String, Object> json() throws Failure {
            try {
                return Json.object(text());
            } catch (IllegalArgumentException e) {
                throw Failure.refused("the server's answer is not the JSON expected (" + e.getMessage() + ")");
            }
        }
    }

    final URI base;
    private final String token;
    private final String tokenSource;
    private final HttpClient http;

    Server(URI base, String token, String tokenSource) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.token = token;
        this.tokenSource = tokenSource;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * The server the options point at. URL: {@code --url}, else 127.0.0.1 (or the configured bind address) at the
     * port of {@code <home>/etc/org.apache.felix.http.cfg}, else 8080. Token: {@code --token-file}, else
     * {@code ROLLBOOK_TOKEN}, else {@code <home>/data/security/cli.token} when it exists.
     */
    static Server locate(CommandLine line, Map<String, String> env, Path home) throws Failure {
        URI base;
        String url = line.option("url");
        if (url != null) {
            try {
                base = new URI(url.strip());
            } catch (URISyntaxException e) {
                throw Failure.usage("--url: '" + url + "' is not a URL");
            }
            if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
                throw Failure.usage("--url: '" + url + "' is not an http:// or https:// URL");
            }
        } else {
            base = configuredUrl(home);
        }
        String file = line.option("token-file");
        String envToken = env.get("ROLLBOOK_TOKEN");
        if (file != null) {
            Path p = Path.of(file);
            return new Server(base, readToken(p, true), p.toString());
        }
        if (envToken != null && !envToken.isBlank()) {
            return new Server(base, envToken.strip(), "ROLLBOOK_TOKEN");
        }
        Path p = home.resolve(TOKEN_FILE).normalize();
        return new Server(base, readToken(p, false), p.toString());
    }

    /** http://host:port of the HTTP configuration in {@code home}; 127.0.0.1:8080 when there is none. */
    static URI configuredUrl(Path home) {
        Properties cfg = new Properties();
        try (Reader r = Files.newBufferedReader(home.resolve(HTTP_CONFIG), StandardCharsets.UTF_8)) {
            cfg.load(r);
        } catch (IOException | IllegalArgumentException none) {
            // the defaults
        }
        String port = "8080";
        // FileInstall also reads typed values such as I"8081": take the digits
        Matcher m = Pattern.compile("\\d+").matcher(cfg.getProperty("org.osgi.service.http.port", ""));
        if (m.find()) {
            port = m.group();
        }
        String host = cfg.getProperty("org.apache.felix.http.host", "").replace("\"", "").strip();
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("localhost")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port);
    }

    private static String readToken(Path file, boolean required) throws Failure {
        try {
            String t = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (t.isEmpty()) {
                throw Failure.unreachable("the token file " + file + " is empty");
            }
            return t;
        } catch (NoSuchFileException e) {
            if (required) {
                throw Failure.unreachable("there is no token file " + file);
            }
            return null;
        } catch (AccessDeniedException e) {
            throw Failure.unreachable("cannot read the token file " + file + ": permission denied (run as the server's user, or set ROLLBOOK_TOKEN)");
        } catch (IOException e) {
            throw Failure.unreachable("cannot read the token file " + file + ": " + e.getMessage());
        }
    }

    Answer get(String path) throws Failure {
        return send(request(path).GET().build());
    }

    Answer post(String path, String json) throws Failure {
        return send(request(path).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** {@code answer} when it is a success; otherwise the failure its status and error text mean. */
    Answer ok(Answer answer) throws Failure {
        if (answer.status() >= 200 && answer.status() < 300) {
            return answer;
        }
        throw failure(answer.status(), answer.body());
    }

    /** Copies a download (a log) to {@code out} as it arrives. */
    void download(String path, OutputStream out) throws Failure {
        HttpResponse<InputStream> r;
        try {
            r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.refused("interrupted");
        }
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw failure(r.statusCode(), in.readNBytes(64 * 1024));
            }
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, n);
                if (out instanceof PrintStream p && p.checkError()) {
                    return; // the reader went away (| head): stop downloading
                }
            }
            out.flush();
        } catch (IOException e) {
            throw Failure.refused("the download from " + base + " broke off: " + e.getMessage());
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Answer send(HttpRequest request) throws Failure {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.refused("interrupted");
        }
    }

    private Failure unreachable(IOException e) {
        boolean refused = e instanceof ConnectException || e.getCause() instanceof ConnectException
                || e instanceof HttpConnectTimeoutException;
        if (refused) {
            return Failure.unreachable("cannot reach the server at " + base + "; is it running? (./run/rollbook)");
        }
        return Failure.unreachable("lost the connection to the server at " + base + ": "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }

    private Failure failure(int status, byte[] body) {
        String error = errorText(status, body);
        if (status == 401) {
            return Failure.unreachable(token == null
                    ? "the server wants a token and there is none (" + tokenSource + " does not exist; set ROLLBOOK_TOKEN or --token-file): " + error
                    : "the token was refused: " + error + " (token from " + tokenSource + ")");
        }
        return Failure.refused(error);
    }

    /** The server's {"error": …} text, or what little can be said when the body is not ours. */
    static String errorText(int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            String e = Json.str(Json.object(text), "error");
            if (e != null && !e.isBlank()) {
                return e;
            }
        } catch (IllegalArgumentException notJson) {
            // below
        }
        String line = text.lines().findFirst().orElse("").strip();
        if (line.length() > 200) {
            line = line.substring(0, 200) + "…";
        }
        return "HTTP " + status + (line.isEmpty() ? "" : ": " + line);
    }
}
