package io.ragsync.rest;

/** The backoffice named a REST source that does not exist (HTTP 404). */
public class RestSourceNotFoundException extends RuntimeException {

    public RestSourceNotFoundException(String message) {
        super(message);
    }
}
