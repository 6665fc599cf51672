package org.rollbook.web.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.rollbook.api.roster.ConnectionCheck;
import org.rollbook.api.roster.RosterConnector;
import org.rollbook.api.roster.RosterException;
import org.rollbook.api.sync.SyncService;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The connected roster provider: {@code GET /api/connector} (which provider and account, and whether
 * its settings work), {@code GET /api/schools} (the provider's schools, to map to sites), and
 * {@code GET /api/disputes} (the disputed records of the last applied run).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/connector", "/api/schools", "/api/disputes"})
public class RosterServlet extends JsonServlet {
    private static final long serialVersionUID = 1L;

    @Reference
    LiveConnector live;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile SyncService sync;

    @Override
    Reply get(HttpServletRequest request) {
        String path = request.getServletPath();
        if (path.equals("/api/disputes")) {
            SyncService s = require(sync, "the sync engine is not running; see /api/health");
            return Reply.ok(Map.of("items", s.disputes().stream().map(SyncJson::entry).toList()));
        }
        RosterConnector c = live.require();
        if (path.equals("/api/schools")) {
            try {
                return Reply.ok(Map.of("items", c.schools().stream().map(s -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", s.id());
                    m.put("name", s.name());
                    m.put("number", s.number());
                    return m;
                }).toList()));
            } catch (RosterException e) {
                throw new ApiException(502, e.getMessage());
            }
        }
        ConnectionCheck check = c.check();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("provider", c.provider());
        out.put("account", c.account());
        out.put("ok", check.ok());
        out.put("message", check.message());
        return Reply.ok(out);
    }
}
