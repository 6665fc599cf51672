package org.rollbook.web.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The server's root sends a browser to the console. Registered as the default servlet ("/"), because
 * Felix HTTP 1.1.8 does not dispatch "/" to the context-root pattern (""); every other path nobody
 * claims stays a 404.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
public class ConsoleRedirect extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        boolean root = path.isEmpty() || path.equals("/") || path.equals("/index.html");
        if (root && ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))) {
            response.sendRedirect(request.getContextPath() + "/console/");
        } else {
            response.sendError(root ? 405 : 404);
        }
    }
}
