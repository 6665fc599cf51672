package org.rollbook.emulator.clever;

import java.time.Duration;
import java.util.Objects;

/**
 * One injected failure of a {@code /v3.0} request. Build them with the static factories.
 *
 * @param kind   what goes wrong
 * @param status HTTP status for {@link Kind#HTTP_ERROR} (otherwise the status the fault implies, or 200)
 * @param html   for {@link Kind#HTTP_ERROR}: an HTML body (gateway style) instead of JSON
 * @param errorField for JSON {@link Kind#HTTP_ERROR}: {@code {"error":...}} (v1 style) instead of
 *                   {@code {"message":...}} (v3 Swagger style)
 * @param delay  for {@link Kind#SLOW}: how long to wait before answering normally
 */
public record Fault(Kind kind, int status, boolean html, boolean errorField, Duration delay) {

    public enum Kind {
        /** An HTTP error status (500, 502, 503, 504, ...) with a JSON or HTML body. */
        HTTP_ERROR,
        /** 401 with the body of a revoked/invalid token. */
        UNAUTHORIZED,
        /** 429 with an empty body and X-RateLimit-* headers (Remaining 0). */
        RATE_LIMITED,
        /** The normal response, after a delay. */
        SLOW,
        /** 200 with JSON headers and a body cut in the middle (the response itself ends cleanly). */
        TRUNCATED_JSON,
        /** 200 with a Content-Length, part of the body written, then the connection is dropped. */
        CONNECTION_RESET
    }

    public Fault {
        Objects.requireNonNull(kind, "kind");
        delay = delay == null ? Duration.ZERO : delay;
    }

    /** {@code status} with a JSON body {@code {"message":"..."}}. */
    public static Fault status(int status) {
        return new Fault(Kind.HTTP_ERROR, status, false, false, null);
    }

    /** {@code status} with a JSON body {@code {"error":"..."}} (the older Clever form). */
    public static Fault statusErrorField(int status) {
        return new Fault(Kind.HTTP_ERROR, status, false, true, null);
    }

    /** {@code status} with an HTML body, as a gateway/load balancer would send. */
    public static Fault statusHtml(int status) {
        return new Fault(Kind.HTTP_ERROR, status, true, false, null);
    }

    public static Fault internalError() {
        return status(500);
    }

    public static Fault badGateway() {
        return statusHtml(502);
    }

    public static Fault serviceUnavailable() {
        return statusHtml(503);
    }

    public static Fault gatewayTimeout() {
        return statusHtml(504);
    }

    public static Fault unauthorized() {
        return new Fault(Kind.UNAUTHORIZED, 401, false, false, null);
    }

    public static Fault tooManyRequests() {
        return new Fault(Kind.RATE_LIMITED, 429, false, false, null);
    }

    public static Fault slow(Duration delay) {
        return new Fault(Kind.SLOW, 200, false, false, delay);
    }

    public static Fault truncatedJson() {
        return new Fault(Kind.TRUNCATED_JSON, 200, false, false, null);
    }

    public static Fault connectionReset() {
        return new Fault(Kind.CONNECTION_RESET, 200, false, false, null);
    }
}
