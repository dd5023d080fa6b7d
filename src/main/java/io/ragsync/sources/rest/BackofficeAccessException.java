package io.ragsync.sources.rest;

import io.ragsync.platform.api.ApiException;

/** A backoffice request without a valid admin token (401) or without the platform admin role (403). */
public class BackofficeAccessException extends ApiException {

    public BackofficeAccessException(int httpStatus, String message) {
        super(httpStatus, httpStatus == 401 ? "unauthorized" : "forbidden", null, message);
    }
}
