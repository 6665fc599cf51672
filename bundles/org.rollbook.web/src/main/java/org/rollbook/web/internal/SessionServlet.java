package org.rollbook.web.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The administrator's sign-in: {@code POST /api/session} {"username","password"} → the session cookie
 * (HttpOnly, SameSite=Strict) and the CSRF token; {@code GET /api/session} → who is signed in and the
 * CSRF token, 401 when nobody; {@code DELETE /api/session} (with the CSRF token) → signed out.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/session")
public class SessionServlet extends JsonServlet {
    private static final long serialVersionUID = 1L;

    private final transient AdminSessions sessions;

    @Activate
    public SessionServlet(@Reference AdminSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getMethod().equals("POST")) {
            signIn(request, response);
        } else {
            super.service(request, response);
        }
    }

    private void signIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Reply reply;
        try {
            JsonNode body = body(request);
            String user = text(body, "username");
            JsonNode pw = body.get("password");
            if (user == null || pw == null || !pw.isTextual()) {
                throw ApiException.badRequest("send {\"username\": …, \"password\": …}");
            }
            AdminSessions.Session s = sessions.signIn(user, pw.asText(), request.getRemoteAddr());
            response.addHeader("Set-Cookie", AdminSessions.COOKIE + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict"
                    + (request.isSecure() ? "; Secure" : ""));
            reply = Reply.ok(who(s));
        } catch (AdminSessions.Refused e) {
            if (e.retryAfterSeconds > 0) {
                response.setHeader("Retry-After", Long.toString(e.retryAfterSeconds));
            }
            reply = new Reply(e.status, error(e.getMessage()));
        } catch (ApiException e) {
            reply = new Reply(e.status(), e.body());
        }
        write(response, reply);
    }

    @Override
    Reply get(HttpServletRequest request) {
        return Reply.ok(who(current(request)));
    }

    @Override
    Reply delete(HttpServletRequest request) {
        AdminSessions.Session s = current(request);
        String problem = AuthFilter.csrfProblem(request, s);
        if (problem != null) {
            throw new ApiException(403, problem);
        }
        sessions.signOut(s.id());
        return Reply.ok(Map.of("signedOut", s.user()));
    }

    private AdminSessions.Session current(HttpServletRequest request) {
        return sessions.find(AuthFilter.cookie(request)).orElseThrow(() -> new ApiException(401, "not signed in"));
    }

    private static Map<String, Object> who(AdminSessions.Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", s.user());
        m.put("csrf", s.csrf());
        return m;
    }
}
