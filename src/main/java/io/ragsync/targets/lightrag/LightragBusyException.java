package io.ragsync.targets.lightrag;

import io.ragsync.targets.ragflow.RagflowBackoffException;

/** LightRAG is busy processing: the job is deferred without counting an attempt, on the one deferral path. */
public class LightragBusyException extends RagflowBackoffException {

    public LightragBusyException(String message, long retryAfterSeconds) {
        super(message, retryAfterSeconds);
    }
}
