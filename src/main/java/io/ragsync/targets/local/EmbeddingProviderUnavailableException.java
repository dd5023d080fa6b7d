package io.ragsync.targets.local;

import io.ragsync.jobs.TargetUnavailableException;

/** The embedding provider cannot answer now (unreachable, HTTP 408/429/5xx): retried, then the job fails. */
public class EmbeddingProviderUnavailableException extends TargetUnavailableException {

    public EmbeddingProviderUnavailableException(String message, long retryAfterSeconds) {
        super(message, retryAfterSeconds);
    }
}
