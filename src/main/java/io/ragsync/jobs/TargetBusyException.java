package io.ragsync.jobs;

/** A target said when to come back (Retry-After, a busy pipeline): the job is deferred, no attempt counted. */
public class TargetBusyException extends TargetUnavailableException {

    public TargetBusyException(String message, long retryAfterSeconds) {
        super(message, retryAfterSeconds);
    }
}
