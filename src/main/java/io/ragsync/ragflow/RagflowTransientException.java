package io.ragsync.ragflow;

/** A RAGFlow answer that means "try later": HTTP 408/429/5xx, proxy pages, or a transient error code. */
public class RagflowTransientException extends RuntimeException {

    private final long retryAfterSeconds;

    public RagflowTransientException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds the server asked us to wait (Retry-After), 0 when it did not say. */
    public long getRetryAfterSeconds() {
        return retryAfterSeconds;
    }
}
