package io.ragsync.targets.ragflow;

/** A RAGFlow answer that means "try later": HTTP 408/429/5xx, proxy pages, or a transient error code. */
public class RagflowTransientException extends RuntimeException {

    private final long retryAfterSeconds;

    /** Used by routes ({@code throwException}) for answers that mean "look again later". */
    public RagflowTransientException(String message) {
        this(message, 0);
    }

    public RagflowTransientException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds the server asked us to wait (Retry-After), 0 when it did not say. */
    public long getRetryAfterSeconds() {
        return retryAfterSeconds;
    }
}
