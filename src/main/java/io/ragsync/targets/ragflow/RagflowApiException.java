package io.ragsync.targets.ragflow;

import io.ragsync.jobs.PermanentSyncException;

/** A non-zero RAGFlow {@code code} that retrying will not change (validation, not found...). */
public class RagflowApiException extends PermanentSyncException {

    private final int code;

    public RagflowApiException(int code, String message) {
        super("RAGFlow error " + code + ": " + message);
        this.code = code;
    }

    public int getCode() {
        return code;
    }
}
