package org.rollbook.web.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.rollbook.api.patron.Site;
import org.rollbook.api.roster.RosterConnector;
import org.rollbook.api.roster.RosterException;
import org.rollbook.api.roster.RosterSchool;
import org.rollbook.api.store.PatronStore;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;

/** {@code GET /api/sites}: every library site with its mapped provider school; {@code /api/sites/{code}}: one; PUT and DELETE to map. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/sites", "/api/sites/*"})
public class SitesServlet extends JsonServlet {
    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile PatronStore store;

    /** The live connector, when there is one, to check that a mapped school exists. */
    @Reference
    LiveConnector live;

    @Override
    Reply get(HttpServletRequest request) {
        PatronStore s = require(store, "the patron store is not available; see /api/health");
        String code = subPath(request);
        if (!code.isEmpty()) {
            Site site = s.site(code).orElseThrow(() -> ApiException.notFound("no site with code '" + code + "'"));
            return Reply.ok(PatronJson.site(site));
        }
        return Reply.ok(Map.of("items", s.sites().stream().map(PatronJson::site).toList()));
    }

    /** {@code PUT /api/sites/{code}} {"name": …, "providerId": …}: creates or replaces the site (null providerId clears the mapping). */
    @Override
    Reply put(HttpServletRequest request, com.fasterxml.jackson.databind.JsonNode body) {
        PatronStore s = require(store, "the patron store is not available; see /api/health");
        String code = subPath(request);
        if (code.isEmpty() || code.contains("/")) {
            throw ApiException.badRequest("PUT a site at /api/sites/{code}");
        }
        String school = text(body, "providerId");
        RosterConnector c = live.get().orElse(null);
        if (school != null && c != null) {
            List<RosterSchool> schools;
            try {
                schools = c.schools();
            } catch (RosterException e) {
                throw new ApiException(502, "cannot check the school at " + c.provider() + ": " + e.getMessage());
            }
            if (schools.stream().noneMatch(x -> x.id().equals(school))) {
                throw ApiException.badField("providerId", "no school '" + school + "' at " + c.provider() + " (GET /api/schools lists them)");
            }
        }
        return Reply.ok(PatronJson.site(s.saveSite(new Site(code, text(body, "name"), school))));
    }

    @Override
    Reply delete(HttpServletRequest request) {
        PatronStore s = require(store, "the patron store is not available; see /api/health");
        String code = subPath(request);
        if (!s.deleteSite(code)) {
            throw ApiException.notFound("no site with code '" + code + "'");
        }
        return Reply.ok(Map.of("deleted", code));
    }
}
