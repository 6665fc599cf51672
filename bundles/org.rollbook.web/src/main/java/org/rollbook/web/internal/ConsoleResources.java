package org.rollbook.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The admin console: static files from this bundle's {@code console/} folder at {@code /console/}
 * ({@code index.html} for the folder itself). {@link SecurityHeaders} puts the strict
 * Content-Security-Policy on them, so the browser runs only these scripts and styles. A servlet rather
 * than a whiteboard resource so that only known file types are served, with their charset and a
 * revalidating cache header.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/console", "/console/*"})
public class ConsoleResources extends HttpServlet {
    private static final long serialVersionUID = 1L;

    static final String FOLDER = "console/";

    static final Map<String, String> TYPES = Map.of("html", "text/html", "js", "text/javascript", "css", "text/css",
            "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon", "json", "application/json");

    /** Plain relative file names only: no "..", no empty segments, nothing a URL decoder could turn into one. */
    private static final Pattern SAFE = Pattern.compile("([A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String info = request.getPathInfo();
        if (info == null) {
            response.sendRedirect(request.getContextPath() + "/console/");
            return;
        }
        String path = info.equals("/") ? "index.html" : info.substring(1);
        String type = type(path);
        URL url = SAFE.matcher(path).matches() && !path.contains("..") && type != null
                ? ConsoleResources.class.getClassLoader().getResource(FOLDER + path)
                : null;
        if (url == null) {
            response.sendError(404);
            return;
        }
        response.setStatus(200);
        response.setContentType(type);
        if (type.startsWith("text/") || type.endsWith("json") || type.endsWith("xml")) {
            response.setCharacterEncoding("UTF-8");
        }
        // small files; always revalidate so that an updated bundle is picked up at once
        response.setHeader("Cache-Control", "no-cache");
        try (InputStream in = url.openStream()) {
            byte[] bytes = in.readAllBytes();
            response.setContentLength(bytes.length);
            if (!"HEAD".equals(request.getMethod())) {
                response.getOutputStream().write(bytes);
            }
        }
    }

    static String type(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? null : TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
