package org.rollbook.web.internal;

import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.rollbook.api.patron.PatronType;
import org.rollbook.api.store.ResultPage;
import org.rollbook.api.sync.LogEntry;
import org.rollbook.api.sync.LogFormat;
import org.rollbook.api.sync.LogQuery;
import org.rollbook.api.sync.Operation;
import org.rollbook.api.sync.OperationKind;
import org.rollbook.api.sync.Outcome;
import org.rollbook.api.sync.Situation;
import org.rollbook.api.sync.SyncRequest;
import org.rollbook.api.sync.SyncService;
import org.rollbook.api.sync.Trigger;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Sync runs over HTTP.
 * <ul>
 * <li>{@code POST /api/operations} {"kind": "full"|"incremental", "preview": false, "types": [...]} → 202, queued</li>
 * <li>{@code GET /api/operations?offset=&limit=}, {@code GET /api/operations/{id}}</li>
 * <li>{@code GET /api/operations/{id}/log?situation=&outcome=&type=&site=&offset=&limit=}</li>
 * <li>{@code GET /api/operations/{id}/log.csv}, {@code …/log.txt} (same filters) — downloads</li>
 * <li>{@code POST /api/operations/{id}/cancel|approve|reject|undo}</li>
 * </ul>
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/operations", "/api/operations/*"})
public class OperationsServlet extends JsonServlet {
    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile SyncService sync;

    private SyncService sync() {
        return require(sync, "the sync engine is not running; see /api/health");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String sub = subPath(request);
        if ("GET".equals(request.getMethod()) && (sub.endsWith("/log.csv") || sub.endsWith("/log.txt"))) {
            try {
                long id = id(sub.substring(0, sub.indexOf('/')));
                LogFormat format = sub.endsWith(".csv") ? LogFormat.CSV : LogFormat.TEXT;
                SyncService s = sync();
                s.operation(id).orElseThrow(() -> ApiException.notFound("no operation " + id));
                response.setStatus(200);
                response.setContentType(format == LogFormat.CSV ? "text/csv" : "text/plain");
                response.setCharacterEncoding("UTF-8");
                response.setHeader("Content-Disposition", "attachment; filename=\"rollbook-operation-" + id + "-log."
                        + (format == LogFormat.CSV ? "csv" : "txt") + "\"");
                s.download(id, filter(request, 0, 1), format, response.getOutputStream());
            } catch (ApiException e) {
                write(response, new Reply(e.status(), e.body()));
            }
            return;
        }
        super.service(request, response);
    }

    @Override
    Reply get(HttpServletRequest request) {
        String sub = subPath(request);
        if (sub.isEmpty()) {
            int offset = intParam(request, "offset", 0, 0, Integer.MAX_VALUE);
            int limit = intParam(request, "limit", 50, 1, 1000);
            return Reply.ok(Map.of("items", sync().operations(offset, limit).stream().map(SyncJson::operation).toList()));
        }
        String[] parts = sub.split("/");
        long id = id(parts[0]);
        if (parts.length == 1) {
            return Reply.ok(SyncJson.operation(require(id)));
        }
        if (parts.length == 2 && parts[1].equals("log")) {
            int offset = intParam(request, "offset", 0, 0, Integer.MAX_VALUE);
            int limit = intParam(request, "limit", 100, 1, LogQuery.MAX_LIMIT);
            ResultPage<LogEntry> page = sync().log(id, filter(request, offset, limit));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("total", page.total());
            out.put("offset", page.offset());
            out.put("limit", page.limit());
            out.put("items", page.items().stream().map(SyncJson::entry).toList());
            return Reply.ok(out);
        }
        throw ApiException.notFound("no such endpoint: " + request.getRequestURI());
    }

    @Override
    Reply post(HttpServletRequest request, JsonNode body) {
        String sub = subPath(request);
        SyncService s = sync();
        if (sub.isEmpty()) {
            String kind = text(body, "kind");
            OperationKind k = kind == null || kind.equalsIgnoreCase("full") ? OperationKind.FULL
                    : kind.equalsIgnoreCase("incremental") ? OperationKind.INCREMENTAL : null;
            if (k == null) {
                throw ApiException.badRequest("kind must be full or incremental, not '" + kind + "'");
            }
            JsonNode preview = body.path("preview");
            if (!preview.isMissingNode() && !preview.isBoolean()) {
                throw ApiException.badRequest("preview must be true or false");
            }
            Set<PatronType> types = EnumSet.noneOf(PatronType.class);
            for (JsonNode t : body.path("types")) {
                types.add(PatronType.parse(t.asText()).orElseThrow(() -> ApiException.badRequest(
                        "types: '" + t.asText() + "' is not one of student, teacher, staff, district_admin")));
            }
            Operation op = s.start(new SyncRequest(k, preview.asBoolean(false), types, Trigger.MANUAL));
            return new Reply(202, SyncJson.operation(op));
        }
        String[] parts = sub.split("/");
        if (parts.length != 2) {
            throw ApiException.notFound("no such endpoint: " + request.getRequestURI());
        }
        long id = id(parts[0]);
        Operation op = switch (parts[1]) {
            case "cancel" -> s.cancel(id);
            case "approve" -> s.approve(id);
            case "reject" -> s.reject(id);
            case "undo" -> s.undo(id);
            default -> throw ApiException.notFound("no such action: " + parts[1] + " (cancel, approve, reject, undo)");
        };
        return new Reply(202, SyncJson.operation(op));
    }

    private Operation require(long id) {
        return sync().operation(id).orElseThrow(() -> ApiException.notFound("no operation " + id));
    }

    private static long id(String text) {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw ApiException.badRequest("'" + text + "' is not an operation id");
    }

    private static LogQuery filter(HttpServletRequest request, int offset, int limit) {
        return new LogQuery(parse(Situation.class, request, "situation"), parse(Outcome.class, request, "outcome"),
                type(request), request.getParameter("site"), offset, limit);
    }

    private static PatronType type(HttpServletRequest request) {
        String t = request.getParameter("type");
        if (t == null || t.isBlank()) {
            return null;
        }
        return PatronType.parse(t).orElseThrow(() -> ApiException.badRequest("type: '" + t + "' is not a record type"));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, HttpServletRequest request, String name) {
        String v = request.getParameter(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, v.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name + ": '" + v + "' is not one of "
                    + EnumSet.allOf(type).stream().map(x -> x.name().toLowerCase(Locale.ROOT)).toList());
        }
    }
}
