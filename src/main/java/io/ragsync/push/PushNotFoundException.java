package io.ragsync.push;

/** 404 of the push API: the chatbot or the source is unknown. */
public class PushNotFoundException extends PushApiException {

    public PushNotFoundException(String message) {
        super(404, "not_found", null, message);
    }
}
