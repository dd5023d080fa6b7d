package io.ragsync.sources.push;

import io.ragsync.platform.api.ApiException;

/** 404 of the push API: the chatbot or the source is unknown. */
public class PushNotFoundException extends ApiException {

    public PushNotFoundException(String message) {
        super(404, "not_found", null, message);
    }
}
