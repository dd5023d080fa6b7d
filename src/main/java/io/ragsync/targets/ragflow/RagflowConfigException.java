package io.ragsync.targets.ragflow;

/** The API key is rejected or the base URL is no RAGFlow API: jobs end {@code config_error} without retries. */
public class RagflowConfigException extends RuntimeException {

    public RagflowConfigException(String message) {
        super(message);
    }
}
