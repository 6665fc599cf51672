package org.rollbook.web.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.rollbook.api.patron.Patron;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.store.PatronQuery;
import org.rollbook.api.store.PatronStore;
import org.rollbook.api.store.ResultPage;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code GET /api/patrons?q=&type=&site=&offset=&limit=}: a page of patrons, searched by name prefix,
 * barcode, email or GUID. {@code GET /api/patrons/{id}}: one patron with provenance per field.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/patrons", "/api/patrons/*"})
public class PatronsServlet extends JsonServlet {
    private static final long serialVersionUID = 1L;

    static final int DEFAULT_LIMIT = 50;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile PatronStore store;

    @Override
    Reply get(HttpServletRequest request) {
        PatronStore s = require(store, "the patron store is not available; see /api/health");
        String sub = subPath(request);
        if (!sub.isEmpty()) {
            long id;
            try {
                id = Long.parseLong(sub);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("'" + sub + "' is not a patron id");
            }
            Patron p = s.patron(id).orElseThrow(() -> ApiException.notFound("no patron with id " + id));
            return Reply.ok(PatronJson.patron(p));
        }
        String typeParam = request.getParameter("type");
        PatronType type = null;
        if (typeParam != null && !typeParam.isBlank()) {
            type = PatronType.parse(typeParam).orElseThrow(() -> ApiException.badRequest(
                    "type must be one of student, teacher, staff, district_admin; not '" + typeParam + "'"));
        }
        int offset = intParam(request, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = intParam(request, "limit", DEFAULT_LIMIT, 1, PatronQuery.MAX_LIMIT);
        ResultPage<Patron> page = s.search(new PatronQuery(request.getParameter("q"), type,
                request.getParameter("site"), offset, limit));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", page.total());
        out.put("offset", page.offset());
        out.put("limit", page.limit());
        out.put("items", page.items().stream().map(PatronJson::patron).toList());
        return Reply.ok(out);
    }
}
