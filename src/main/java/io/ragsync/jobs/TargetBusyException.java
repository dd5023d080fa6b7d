package io.ragsync.jobs;

/** A target said when to come back (Retry-After, a busy pipeline): the job is deferred, no attempt counted. */
public class TargetBusyException extends RuntimeException {

    private final long retryAfterSeconds;

    public TargetBusyException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long getRetryAfterSeconds() {
        return retryAfterSeconds;
    }
}
