package io.ragsync.targets.local;

/** The embedding provider cannot answer now (unreachable, HTTP 408/429/5xx): retried, then the job fails. */
public class EmbeddingProviderUnavailableException extends RuntimeException {

    private final long retryAfterSeconds;

    public EmbeddingProviderUnavailableException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long getRetryAfterSeconds() {
        return retryAfterSeconds;
    }
}
