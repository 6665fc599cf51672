package org.rollbook.emulator.oneroster;

/** Faults the emulator can inject into authenticated roster requests (never into the token endpoint). */
public enum Fault {
    /** 500 with an imsx JSON body ({@code internal_server_error}). */
    HTTP_500,
    /** 502 with an imsx JSON body. */
    HTTP_502,
    /** 503 with an imsx JSON body. */
    HTTP_503,
    /** 504 with an imsx JSON body. */
    HTTP_504,
    /** 500 with a gateway-style HTML body. */
    HTTP_500_HTML,
    /** 502 with an nginx-style HTML body. */
    HTTP_502_HTML,
    /** 503 with an HTML body. */
    HTTP_503_HTML,
    /** 504 with an HTML body. */
    HTTP_504_HTML,
    /** 401 imsx {@code unauthorisedrequest} although the credentials are fine (token rotation). */
    HTTP_401,
    /** 429 imsx {@code server_busy}, with {@code Retry-After} unless {@link Faults#retryAfter} is null. */
    HTTP_429,
    /** Normal response after {@link Faults#slowDelay}. */
    SLOW,
    /** 200 whose JSON body is cut in half (Content-Length matches the cut body). */
    TRUNCATED_JSON,
    /** 200 announcing the full Content-Length, half the body, then the connection is dropped. */
    CONNECTION_RESET,
    /** {@code x-perm-rev} changes (a district import lands), then the response is served normally. */
    PERM_REV_CHANGE
}
