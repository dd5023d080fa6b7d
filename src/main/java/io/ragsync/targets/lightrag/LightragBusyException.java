package io.ragsync.targets.lightrag;

import io.ragsync.targets.ragflow.RagflowBackoffException;

/**
 * LightRAG is processing (the upload, or another document while a deletion waits): the job is deferred for the
 * given seconds without counting an attempt, on the job flow's one deferral path (routes/jobs/error-handling).
 */
public class LightragBusyException extends RagflowBackoffException {

    public LightragBusyException(String message, long retryAfterSeconds) {
        super(message, retryAfterSeconds);
    }
}
