package org.rollbook.web.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;

/** Everything under /api that no endpoint claims: a JSON 404 rather than the container's HTML page. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/*")
public class NotFoundServlet extends JsonServlet {
    private static final long serialVersionUID = 1L;

    @Override
    Reply get(HttpServletRequest request) {
        throw ApiException.notFound("no such endpoint: " + request.getRequestURI());
    }
}
