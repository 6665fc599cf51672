package org.rollbook.web.internal;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Base of every JSON endpoint: answers what {@link #get} returns as JSON, and every failure as
 * {@code {"error": message}} with its status, never a stack trace. Methods a resource does not
 * support answer 405.
 */
abstract class JsonServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JsonServlet.class);

    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /** A successful answer: the status and the object to write as JSON. */
    record Reply(int status, Object body) {
        static Reply ok(Object body) {
            return new Reply(200, body);
        }
    }

    /** Request bodies larger than this are refused with 413. */
    static final int MAX_BODY = 64 * 1024;

    /** Handles a GET; the default answers 405. */
    Reply get(HttpServletRequest request) {
        throw notAllowed(request);
    }

    /** Handles a POST with its JSON body; the default answers 405. */
    Reply post(HttpServletRequest request, com.fasterxml.jackson.databind.JsonNode body) {
        throw notAllowed(request);
    }

    /** Handles a PUT with its JSON body; the default answers 405. */
    Reply put(HttpServletRequest request, com.fasterxml.jackson.databind.JsonNode body) {
        throw notAllowed(request);
    }

    /** Handles a DELETE; the default answers 405. */
    Reply delete(HttpServletRequest request) {
        throw notAllowed(request);
    }

    static ApiException notAllowed(HttpServletRequest request) {
        return new ApiException(405, request.getMethod() + " is not supported on " + request.getRequestURI());
    }

    /** The request's JSON body (an empty body is an empty object); malformed or oversized bodies are 4xx. */
    static com.fasterxml.jackson.databind.JsonNode body(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY) {
            throw new ApiException(413, "the request body is larger than " + MAX_BODY / 1024 + " KiB");
        }
        byte[] bytes = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new ApiException(413, "the request body is larger than " + MAX_BODY / 1024 + " KiB");
        }
        if (bytes.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw ApiException.badRequest("the request body must be a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Reply reply;
        try {
            reply = switch (request.getMethod()) {
                case "GET", "HEAD" -> get(request);
                case "POST" -> post(request, body(request));
                case "PUT" -> put(request, body(request));
                case "DELETE" -> delete(request);
                default -> throw notAllowed(request);
            };
        } catch (ApiException e) {
            reply = new Reply(e.status(), e.body());
        } catch (org.rollbook.api.sync.SyncException e) {
            reply = new Reply(409, error(e.getMessage()));
        } catch (org.rollbook.api.store.StoreException | IllegalArgumentException e) {
            reply = new Reply(400, error(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn(request.getMethod() + " " + request.getRequestURI() + " failed", e);
            reply = new Reply(500, error("internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()))));
        }
        write(response, reply);
    }

    static void write(HttpServletResponse response, Reply reply) throws IOException {
        response.setStatus(reply.status());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        JSON.writeValue(response.getOutputStream(), reply.body());
    }

    static java.util.Map<String, String> error(String message) {
        return java.util.Map.of("error", message);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** An optional integer query parameter within bounds; a bad value is a 400 naming the parameter. */
    static int intParam(HttpServletRequest request, String name, int dflt, int min, int max) {
        String raw = request.getParameter(name);
        if (raw == null || raw.isBlank()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(raw.strip());
            if (v < min || v > max) {
                throw ApiException.badRequest(name + " must be between " + min + " and " + max + ", not " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number, not '" + raw + "'");
        }
    }

    /** The service an endpoint needs, or a 503 saying it is missing. */
    static <T> T require(T service, String unavailable) {
        if (service == null) {
            throw new ApiException(503, unavailable);
        }
        return service;
    }

    /** A text field of a JSON body: trimmed, null when absent or blank. */
    static String text(com.fasterxml.jackson.databind.JsonNode body, String field) {
        com.fasterxml.jackson.databind.JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest(field + " must be a string");
        }
        return n.asText().isBlank() ? null : n.asText().strip();
    }

    /** The path below the servlet's pattern, without leading slash; "" for none. */
    static String subPath(HttpServletRequest request) {
        String info = request.getPathInfo();
        if (info == null || info.equals("/")) {
            return "";
        }
        return info.startsWith("/") ? info.substring(1) : info;
    }
}
