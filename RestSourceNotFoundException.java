package io.ragsync.rest;

/** The backoffice named a REST source that does not exist (HTTP 404). */
public class RestSourceNotFoundException extends RuntimeException {

    public RestSourceNotFoundException(Object sourceId) {
        super("no REST source " + sourceId);
    }
}
