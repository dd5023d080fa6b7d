package io.ragsync.targets.ragflow;

/**
 * RAGFlow (or its proxy) said when to come back: HTTP 408/429/503... with a Retry-After header. The job is
 * deferred until then without in-place redelivery and without counting an attempt (the server is busy,
 * the document is not at fault).
 */
public class RagflowBackoffException extends RagflowTransientException {

    public RagflowBackoffException(String message, long retryAfterSeconds) {
        super(message, retryAfterSeconds);
    }
}
