package io.ragsync.sources.rest;

/** A batch that could not be stored (its cursor stays); status and message go to kb_rest_cursors. */
public class RestSourceException extends RuntimeException {

    private final String status;
    private final Integer httpStatus;
    private final Long retryAfterSeconds;

    public RestSourceException(String message, Integer httpStatus) {
        this("error", message, httpStatus, null);
    }

    public RestSourceException(String status, String message, Integer httpStatus, Long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.httpStatus = httpStatus;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static RestSourceException rateLimited(long retryAfterSeconds) {
        return new RestSourceException("rate_limited",
                "HTTP 429 Too Many Requests: retrying after " + retryAfterSeconds + " s", 429, retryAfterSeconds);
    }

    /** ok | not_modified | rate_limited | error, as kb_rest_cursors.last_status. */
    public String getStatus() {
        return status;
    }

    public Integer getHttpStatus() {
        return httpStatus;
    }

    public Long getRetryAfterSeconds() {
        return retryAfterSeconds;
    }
}
