package org.rollbook.web.internal;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Guards the JSON API, whichever bundle serves an endpoint: a request needs the administrator's
 * session cookie or the command-line bearer token. With the cookie, every state change must also
 * carry the session's CSRF token ({@code X-CSRF-Token}) and, when the browser sends one, a same-origin
 * {@code Origin}. Open to all: {@code GET /api/health} (anyone gets the status; the admin, signed in or
 * with the token, the details), {@code /api/session} (sign-in; it checks the rest itself) and the
 * patrons' own sign-in under {@code /api/sso/} and {@code /api/me}.
 */
@Component(service = Filter.class)
@HttpWhiteboardFilterPattern("/api/*")
public class AuthFilter implements Filter {
    static final String USER = "rollbook.user";
    static final String SESSION = "rollbook.session";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final AdminSessions sessions;

    @Activate
    public AuthFilter(@Reference AdminSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (open(request.getMethod(), path)) {
            if (path.equals("/api/health")) {
                identify(request);
            }
            chain.doFilter(request, response);
            return;
        }
        String auth = request.getHeader("Authorization");
        if (auth != null) {
            if (carriesTheToken(auth)) {
                request.setAttribute(USER, "cli");
                chain.doFilter(request, response);
            } else {
                refuse(request, response, 401, "the Authorization header was refused: use the token in data/security/cli.token");
            }
            return;
        }
        Optional<AdminSessions.Session> session = sessions.find(cookie(request));
        if (session.isEmpty()) {
            refuse(request, response, 401, "sign in first: POST /api/session {\"username\", \"password\"}");
            return;
        }
        String problem = csrfProblem(request, session.get());
        if (problem != null) {
            refuse(request, response, 403, problem);
            return;
        }
        request.setAttribute(USER, session.get().user());
        request.setAttribute(SESSION, session.get());
        chain.doFilter(request, response);
    }

    /**
     * Marks a request to an open path with the admin's name when it carries the token or a session, and refuses
     * nothing: the path is open, only what it tells depends on who asks. (Open paths take only safe methods or check
     * themselves, so no CSRF check is due.)
     */
    private void identify(HttpServletRequest request) {
        String auth = request.getHeader("Authorization");
        if (auth != null) {
            if (carriesTheToken(auth)) {
                request.setAttribute(USER, "cli");
            }
            return;
        }
        sessions.find(cookie(request)).ifPresent(s -> request.setAttribute(USER, s.user()));
    }

    /** Whether an Authorization header is {@code Bearer <the command-line token>}. */
    private boolean carriesTheToken(String authorization) {
        return authorization.regionMatches(true, 0, "Bearer ", 0, 7) && sessions.verifyToken(authorization.substring(7));
    }

    static boolean open(String method, String path) {
        return (path.equals("/api/health") && SAFE.contains(method)) || path.equals("/api/session")
                || path.startsWith("/api/sso/") || path.equals("/api/me");
    }

    /** Why a state change made with the session cookie is refused, or null when it carries the right token and origin. */
    static String csrfProblem(HttpServletRequest request, AdminSessions.Session session) {
        if (SAFE.contains(request.getMethod())) {
            return null;
        }
        if (!AdminSessions.sameSecret(session.csrf(), request.getHeader("X-CSRF-Token"))) {
            return "missing or wrong CSRF token: send the X-CSRF-Token header from GET /api/session";
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !sameOrigin(origin, request)) {
            return "cross-origin request refused (Origin " + origin + ")";
        }
        return null;
    }

    private static boolean sameOrigin(String origin, HttpServletRequest request) {
        try {
            URI o = URI.create(origin);
            String host = request.getHeader("Host");
            return o.getScheme() != null && o.getScheme().equalsIgnoreCase(request.getScheme()) && host != null
                    && o.getRawAuthority() != null && o.getRawAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (AdminSessions.COOKIE.equals(c.getName())) {
                    return c.getValue();
                }
            }
        }
        return null;
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, int status, String message) throws IOException {
        // Read what the client sent (up to the API's limit), so that its connection stays usable for the next request.
        if (request.getContentLengthLong() != 0) {
            request.getInputStream().readNBytes(JsonServlet.MAX_BODY);
        }
        JsonServlet.write(response, new JsonServlet.Reply(status, JsonServlet.error(message)));
    }
}
