package org.rollbook.web.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.rollbook.api.integration.IntegrationSwitch;
import org.rollbook.api.integration.SwitchPlan;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * One integration at a time over HTTP: {@code GET /api/integration} (selected provider, installed
 * connectors), {@code POST /api/integration/plan} {"provider"} (what enabling it would clear), and
 * {@code POST /api/integration/begin} {"provider", "confirm": "Begin"} (do it).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/integration", "/api/integration/*"})
public class IntegrationServlet extends JsonServlet {
    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile IntegrationSwitch integrations;

    private IntegrationSwitch integrations() {
        return require(integrations, "the integration switch is not running; see /api/health");
    }

    @Override
    Reply get(HttpServletRequest request) {
        if (!subPath(request).isEmpty()) {
            throw ApiException.notFound("no such endpoint: " + request.getRequestURI());
        }
        IntegrationSwitch s = integrations();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("selected", s.selected().orElse(null));
        out.put("connectors", s.connectors().stream().map(c -> Map.of("provider", c.provider(), "account", c.account(),
                "integration", c.integration())).toList());
        return Reply.ok(out);
    }

    @Override
    Reply post(HttpServletRequest request, JsonNode body) {
        String provider = text(body, "provider");
        SwitchPlan plan = switch (subPath(request)) {
            case "plan" -> integrations().plan(provider);
            case "begin" -> integrations().begin(provider, text(body, "confirm"));
            default -> throw ApiException.notFound("no such endpoint: " + request.getRequestURI());
        };
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", plan.from());
        out.put("to", plan.to());
        out.put("patronIds", plan.cleared().linkedPatrons());
        out.put("siteMappings", plan.cleared().mappedSites());
        out.put("stateValues", plan.cleared().stateValues());
        out.put("message", plan.message());
        return Reply.ok(out);
    }
}
