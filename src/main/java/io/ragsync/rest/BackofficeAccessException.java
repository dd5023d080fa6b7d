package io.ragsync.rest;

/** A backoffice request without a valid admin token (401) or without the platform admin role (403). */
public class BackofficeAccessException extends RuntimeException {

    private final int httpStatus;

    public BackofficeAccessException(int httpStatus, String message) {
        super(message);
        this.httpStatus = httpStatus;
    }

    public int getHttpStatus() {
        return httpStatus;
    }

    public String getError() {
        return httpStatus == 401 ? "unauthorized" : "forbidden";
    }
}
