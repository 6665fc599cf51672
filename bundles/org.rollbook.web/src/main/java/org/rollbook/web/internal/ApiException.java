package org.rollbook.web.internal;

/** An API error with the HTTP status to answer and a message meant for the caller. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;

    ApiException(int status, String message) {
        this(status, message, null);
    }

    ApiException(int status, String message, String field) {
        super(message);
        this.status = status;
        this.field = field;
    }

    int status() {
        return status;
    }

    /** The JSON body: {@code {"error": message}}, with {@code "field"} when one input field is wrong. */
    java.util.Map<String, String> body() {
        return field == null ? java.util.Map.of("error", getMessage()) : java.util.Map.of("error", getMessage(), "field", field);
    }

    /** A 400 naming the input field that is wrong. */
    static ApiException badField(String field, String message) {
        return new ApiException(400, message, field);
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
