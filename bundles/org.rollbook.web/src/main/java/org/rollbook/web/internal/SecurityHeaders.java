package org.rollbook.web.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Headers on every answer: a strict Content-Security-Policy (scripts, styles and requests only from
 * this server; no inline script; no framing), no MIME sniffing, no referrer.
 */
@Component(service = Filter.class)
@HttpWhiteboardFilterPattern("/*")
public class SecurityHeaders implements Filter {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletResponse r = (HttpServletResponse) response;
        r.setHeader("Content-Security-Policy", CSP);
        r.setHeader("X-Content-Type-Options", "nosniff");
        r.setHeader("X-Frame-Options", "DENY");
        r.setHeader("Referrer-Policy", "no-referrer");
        chain.doFilter(request, response);
    }
}
