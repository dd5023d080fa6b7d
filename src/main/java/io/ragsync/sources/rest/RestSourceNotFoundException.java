package io.ragsync.sources.rest;

import io.ragsync.platform.api.ApiException;

/** The backoffice named a REST source that does not exist (HTTP 404). */
public class RestSourceNotFoundException extends ApiException {

    public RestSourceNotFoundException(String message) {
        super(404, "not_found", null, message);
    }
}
