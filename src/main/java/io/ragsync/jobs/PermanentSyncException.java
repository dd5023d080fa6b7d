package io.ragsync.jobs;

/** A failure that retrying cannot fix (bad input, rejected request): the job ends {@code failed} at once. */
public class PermanentSyncException extends RuntimeException {

    public PermanentSyncException(String message) {
        super(message);
    }
}
