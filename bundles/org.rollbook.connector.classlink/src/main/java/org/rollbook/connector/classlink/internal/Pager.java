package org.rollbook.connector.classlink.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import org.rollbook.http.RosterHttpException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads one collection to its end with offset paging ({@code sort=sourcedId&orderBy=asc}), by the reference's
 * robust termination rule (§2.6): stop on an empty page, when {@code X-Total-Count} is reached, on a page shorter
 * than the limit the server honoured (clamping detected from the total or a {@code Link rel="next"}), or at a
 * request cap. When {@code x-perm-rev} or the total changes mid-pull (a district import landed), the pull starts
 * over, at most {@link #MAX_RESTARTS} times; the handler is told so it can skip what it already delivered.
 */
final class Pager {

    static final int MAX_RESTARTS = 3;
    /** A 502 that outlasts the retries on a page larger than this halves the page (P11: heavy pages). */
    static final int MIN_LIMIT = 10;

    /** Receives the items of each page as they arrive. */
    interface Handler {
        void item(JsonNode item);

        /** The pull starts over: items already seen will come again. */
        default void restarting() {
        }

        /** The first page announced this many records. */
        default void total(long total) {
        }
    }

    /** How a pull ended: {@code problem} is null when the collection was read to its end consistently. */
    record Result(long read, String problem, Instant serverTime, int restarts) {
        boolean complete() {
            return problem == null;
        }
    }

    private Pager() {
    }

    /**
     * @param collection {@code /users}, {@code /students}, ...
     * @param envelope   the key the array comes under ({@code users}, {@code orgs}, {@code demographics})
     * @param filter     a OneRoster filter expression (not yet encoded), or null
     * @throws IOException when a page cannot be read at all (after the HTTP layer's retries)
     */
    static Result pull(OneRosterApi api, String collection, String envelope, String filter, int pageSize, BooleanSupplier cancelled,
            Handler handler) throws IOException {
        int limit = pageSize;
        Instant serverTime = null;
        int restarts = 0;
        restart:
        while (true) {
            long offset = 0;
            long received = 0;
            long requests = 0;
            int honoured = limit;
            String permRev = null;
            Long total = null;
            String problem = null;
            while (true) {
                if (cancelled.getAsBoolean()) {
                    return new Result(received, "cancelled", serverTime, restarts);
                }
                long cap = total == null ? 100_000 : 20 + 3 * (total / Math.max(1, honoured) + 1);
                if (++requests > cap) {
                    problem = collection + ": stopped after " + (requests - 1) + " requests without reaching the end";
                    break;
                }
                StringBuilder q = new StringBuilder(collection).append("?limit=").append(limit).append("&offset=").append(offset)
                        .append("&sort=sourcedId&orderBy=asc");
                if (filter != null) {
                    q.append("&filter=").append(OAuth1Signer.encode(filter));
                }
                OneRosterApi.Answer a;
                try {
                    a = api.get(q.toString());
                } catch (RosterHttpException e) {
                    if (e.status() == 502 && limit > MIN_LIMIT) {
                        limit = Math.max(MIN_LIMIT, limit / 2); // ClassLink's answer to a page too heavy: ask for less
                        honoured = Math.min(honoured, limit);
                        continue;
                    }
                    throw e;
                }
                if (serverTime == null) {
                    serverTime = a.date().orElse(null);
                }
                Long pageTotal = a.totalCount().orElse(null);
                boolean revChanged = permRev != null && a.permRev() != null && !permRev.equals(a.permRev());
                boolean totalChanged = total != null && pageTotal != null && !total.equals(pageTotal);
                if (revChanged || totalChanged) {
                    if (restarts < MAX_RESTARTS) {
                        restarts++;
                        handler.restarting();
                        continue restart;
                    }
                    problem = collection + ": the roster kept changing during the pull ("
                            + (revChanged ? "x-perm-rev" : "X-Total-Count") + " changed " + (restarts + 1) + " times)";
                    break;
                }
                if (permRev == null) {
                    permRev = a.permRev();
                }
                if (total == null && pageTotal != null) {
                    total = pageTotal;
                    handler.total(total);
                }
                JsonNode items = items(a.body(), envelope, collection);
                if (a.count().isPresent() && a.count().get() != items.size() && problem == null) {
                    problem = collection + ": a page said x-count " + a.count().get() + " but held " + items.size() + " records";
                }
                for (JsonNode item : items) {
                    handler.item(item);
                }
                received += items.size();
                offset += items.size();
                if (items.isEmpty()) {
                    if (total != null && received < total && problem == null) {
                        problem = collection + ": the server ran out of records at " + received + " of " + total;
                    }
                    break;
                }
                if (total != null && received >= total) {
                    break;
                }
                if (items.size() < honoured) {
                    if ((total != null && received < total) || a.linkNext()) {
                        honoured = items.size(); // the server clamped the limit: keep going with what it serves
                        continue;
                    }
                    break;
                }
            }
            if (problem == null && total != null && received != total) {
                problem = collection + ": read " + received + " records but the server announced " + total;
            }
            return new Result(received, problem, serverTime, restarts);
        }
    }

    /** The array under the envelope key, or a bare array; a 200 without either is an error, not an empty roster. */
    static JsonNode items(JsonNode body, String envelope, String collection) throws RosterHttpException {
        if (body.isArray()) {
            return body;
        }
        JsonNode a = body.get(envelope);
        if (a != null && a.isArray()) {
            return a;
        }
        throw new RosterHttpException(200, collection + " answered without '" + envelope + "' (is the roster server URL right?)");
    }
}
