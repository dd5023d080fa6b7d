package io.ragsync.targets.ragflow;

/**
 * The RAGFlow target is misconfigured: the API key is rejected (HTTP 401/403, code 109, or code 0 with
 * {@code data:false} on servers up to v0.24) or the base URL does not point at a RAGFlow API (HTTP 404).
 * Jobs end {@code config_error} without retries.
 */
public class RagflowConfigException extends RuntimeException {

    public RagflowConfigException(String message) {
        super(message);
    }
}
