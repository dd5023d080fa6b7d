package io.ragsync.targets.local;

/** A retrieval cannot be answered now (the embedding provider is down): HTTP 503. */
public class RetrievalUnavailableException extends RuntimeException {

    public RetrievalUnavailableException(String message) {
        super(message);
    }
}
