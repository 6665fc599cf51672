package org.rollbook.web.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.rollbook.api.deploy.ConnectorBundle;
import org.rollbook.api.deploy.ConnectorDeployer;
import org.rollbook.api.deploy.DeployException;
import org.rollbook.api.deploy.DeployResult;
import org.rollbook.api.deploy.RefusedJar;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Connector bundles while the server runs: {@code GET /api/connectors} (installed connectors and refused
 * jars of the deploy folder), {@code POST /api/connectors?name=x.jar} with the jar as the request body
 * (install, or update the connector of the same symbolic name), {@code DELETE /api/connectors/{symbolicName}}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/connectors", "/api/connectors/*"})
public class ConnectorsServlet extends JsonServlet {
    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ConnectorDeployer deployer;

    private ConnectorDeployer deployer() {
        return require(deployer, "connector deployment is not running; see /api/health");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.getMethod().equals("POST")) {
            super.service(request, response);
            return;
        }
        Reply reply;
        try {
            if (!subPath(request).isEmpty()) {
                throw ApiException.notFound("POST a connector jar to /api/connectors?name=<file>.jar");
            }
            String name = request.getParameter("name");
            if (name == null || name.isBlank()) {
                throw ApiException.badField("name", "say the jar's file name: POST /api/connectors?name=<file>.jar");
            }
            reply = Reply.ok(result(deployer().install(name, request.getInputStream())));
        } catch (ApiException e) {
            reply = new Reply(e.status(), e.body());
        } catch (DeployException e) {
            reply = new Reply(status(e), error(e.getMessage()));
        }
        write(response, reply);
    }

    @Override
    Reply get(HttpServletRequest request) {
        if (!subPath(request).isEmpty()) {
            String name = subPath(request);
            return Reply.ok(deployer().list().stream().filter(b -> b.symbolicName().equals(name)).findFirst().map(ConnectorsServlet::bundle)
                    .orElseThrow(() -> ApiException.notFound("no connector bundle '" + name + "'")));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", deployer().list().stream().map(ConnectorsServlet::bundle).toList());
        out.put("refused", deployer().refused().stream().map(ConnectorsServlet::refused).toList());
        return Reply.ok(out);
    }

    @Override
    Reply delete(HttpServletRequest request) {
        String name = subPath(request);
        if (name.isEmpty()) {
            throw ApiException.badRequest("DELETE /api/connectors/{symbolicName}");
        }
        try {
            return Reply.ok(result(deployer().uninstall(name)));
        } catch (DeployException e) {
            throw new ApiException(status(e), e.getMessage());
        }
    }

    private static int status(DeployException e) {
        return switch (e.reason()) {
            case REFUSED -> 400;
            case TOO_LARGE -> 413;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case FAILED -> 500;
        };
    }

    private static Map<String, Object> bundle(ConnectorBundle b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("symbolicName", b.symbolicName());
        m.put("version", b.version());
        m.put("state", b.state());
        m.put("providers", b.providers());
        m.put("source", b.source().label());
        m.put("location", b.location());
        m.put("inUse", b.inUse());
        return m;
    }

    private static Map<String, Object> refused(RefusedJar r) {
        return Map.of("file", r.file(), "reason", r.reason(), "at", r.at().toString());
    }

    private static Map<String, Object> result(DeployResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", r.action().name().toLowerCase(java.util.Locale.ROOT));
        m.put("symbolicName", r.symbolicName());
        m.put("version", r.version());
        m.put("previousVersion", r.previousVersion());
        m.put("message", r.message());
        return m;
    }
}
