package io.ragsync.platform.api;

import java.util.Map;

/** A request that cannot be served as asked: status, error code, the field at fault (a JSON path), all bad fields. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final String field;
    private final transient Map<String, String> fields;

    public ApiException(int status, String error, String field, String message) {
        this(status, error, field, message, Map.of());
    }

    public ApiException(int status, String error, String field, String message, Map<String, String> fields) {
        super(message);
        this.status = status;
        this.error = error;
        this.field = field;
        this.fields = Map.copyOf(fields);
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(422, "validation_error", field, message);
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "bad_request", field, message);
    }

    public static ApiException tooLarge(String field, String message) {
        return new ApiException(413, "payload_too_large", field, message);
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

    public Map<String, String> getFields() {
        return fields;
    }
}
