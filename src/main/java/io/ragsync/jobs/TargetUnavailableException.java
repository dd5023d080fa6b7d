package io.ragsync.jobs;

/** A target cannot take the job now: a persisted retry, counted (retryAfterSeconds > 0: the wait it asked for). */
public class TargetUnavailableException extends RuntimeException {

    private final long retryAfterSeconds;

    public TargetUnavailableException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long getRetryAfterSeconds() {
        return retryAfterSeconds;
    }
}
