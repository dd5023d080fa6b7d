package io.ragsync.push;

/**
 * A push API request that cannot be served as asked: carries the HTTP status, a short error code and the
 * request field at fault (null when the request as a whole is at fault). Answered as JSON by the
 * push-api-errors route configuration, never with a stack trace.
 */
public class PushApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final String field;

    public PushApiException(int status, String error, String field, String message) {
        super(message);
        this.status = status;
        this.error = error;
        this.field = field;
    }

    public static PushApiException invalid(String field, String message) {
        return new PushApiException(422, "validation_error", field, message);
    }

    public static PushApiException badRequest(String field, String message) {
        return new PushApiException(400, "bad_request", field, message);
    }

    public static PushApiException tooLarge(String field, String message) {
        return new PushApiException(413, "payload_too_large", field, message);
    }

    public int getStatus() {
        return status;
    }

    public String getError() {
        return error;
    }

    public String getField() {
        return field;
    }
}
