package org.rollbook.web.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.rollbook.api.store.PatronStore;
import org.rollbook.api.store.StoreStatus;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code GET /api/health}: 200 when every bundle is active (fragments resolved) and the store is open; 503
 * otherwise. Anyone may ask (a load balancer, a monitor): they get the status alone. The admin, signed in or
 * with the command-line token, also gets the version, the problems, the state of every bundle and the patron
 * store: a server that patrons sign in through faces the network, and its file paths, patron count and
 * component versions are not for everybody.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/health")
public class HealthServlet extends JsonServlet {
    private static final long serialVersionUID = 1L;

    private final BundleContext context;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile PatronStore store;

    private final ServiceComponentRuntime scr;

    @Activate
    public HealthServlet(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
    }

    @Override
    Reply get(HttpServletRequest request) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> bundles = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders("").get("Fragment-Host") != null;
            String state = state(b.getState());
            boolean ok = b.getState() == Bundle.ACTIVE || (fragment && b.getState() == Bundle.RESOLVED);
            if (!ok) {
                problems.add("bundle " + b.getSymbolicName() + " is " + state);
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", b.getBundleId());
            e.put("name", b.getSymbolicName());
            e.put("version", b.getVersion().toString());
            e.put("state", state);
            bundles.add(e);
        }
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    problems.add("component " + d.name + " failed to start: " + rootCause(c.failure));
                }
            }
        }
        Map<String, Object> storeJson = new LinkedHashMap<>();
        PatronStore s = store;
        if (s == null) {
            problems.add("no patron store");
            storeJson.put("open", false);
            storeJson.put("detail", "no patron store is running");
        } else {
            StoreStatus st = s.status();
            if (!st.open()) {
                problems.add("patron store: " + st.detail());
            }
            storeJson.put("open", st.open());
            storeJson.put("kind", st.kind());
            storeJson.put("location", st.location());
            storeJson.put("schemaVersion", st.schemaVersion());
            storeJson.put("patrons", st.patrons());
            storeJson.put("sites", st.sites());
            storeJson.put("detail", st.detail());
        }
        int code = problems.isEmpty() ? 200 : 503;
        String status = problems.isEmpty() ? "ok" : "degraded";
        if (request.getAttribute(AuthFilter.USER) == null) {
            return new Reply(code, Map.of("status", status, "detail",
                    "sign in, or send the command-line token, for the version, problems, store and bundles"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status);
        out.put("version", context.getBundle().getVersion().toString());
        out.put("problems", problems);
        out.put("store", storeJson);
        out.put("bundles", bundles);
        return new Reply(code, out);
    }

    /** The last "Caused by" line of a failure trace: the message an admin can act on. */
    static String rootCause(String failure) {
        if (failure == null) {
            return "unknown reason";
        }
        String cause = failure.lines().findFirst().orElse(failure);
        for (String line : failure.lines().toList()) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length());
            }
        }
        return cause;
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "active";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.INSTALLED -> "installed";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            default -> "uninstalled";
        };
    }
}
