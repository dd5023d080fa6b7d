package io.ragsync.targets.ragflow;

/** A RAGFlow answer that means "try later": HTTP 408/429/5xx, proxy pages, or a transient error code. */
public class RagflowTransientException extends RuntimeException {

    public RagflowTransientException(String message) {
        super(message);
    }
}
