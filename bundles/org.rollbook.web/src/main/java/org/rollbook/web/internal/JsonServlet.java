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

    /** Handles a GET; the default answers 405. */
    Reply get(HttpServletRequest request) {
        throw new ApiException(405, request.getMethod() + " is not supported on " + request.getRequestURI());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Reply reply;
        try {
            reply = switch (request.getMethod()) {
                case "GET", "HEAD" -> get(request);
                default -> throw new ApiException(405,
                        request.getMethod() + " is not supported on " + request.getRequestURI());
            };
        } catch (ApiException e) {
            reply = new Reply(e.status(), error(e.getMessage()));
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

    /** The path below the servlet's pattern, without leading slash; "" for none. */
    static String subPath(HttpServletRequest request) {
        String info = request.getPathInfo();
        if (info == null || info.equals("/")) {
            return "";
        }
        return info.startsWith("/") ? info.substring(1) : info;
    }
}
