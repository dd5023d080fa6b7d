package io.ragsync.targets.lightrag;

/** LightRAG, or the LLM or embedding service behind it, failed or cannot take the request now: the job retries. */
public class LightragUnavailableException extends RuntimeException {

    public LightragUnavailableException(String message) {
        super(message);
    }
}
