package io.ragsync.targets.ragflow;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The RAGFlow API key, so routes never embed it; logs and endpoints get at most its last four characters. */
@Component("ragflowCredentials")
public class RagflowCredentials {

    private final String apiKey;

    public RagflowCredentials(@Value("${app.ragflow.api-key:}") String apiKey) {
        this.apiKey = apiKey == null ? "" : apiKey.strip();
    }

    public String authorization() {
        return "Bearer " + apiKey;
    }

    public boolean isConfigured() {
        return !apiKey.isEmpty();
    }

    /** "…abcd", or "not set": the only form of the key that may be logged. */
    public String maskedKey() {
        if (apiKey.isEmpty()) {
            return "key not set";
        }
        return "key …" + (apiKey.length() <= 8 ? "" : apiKey.substring(apiKey.length() - 4));
    }

    @Override
    public String toString() {
        return "RagflowCredentials[" + maskedKey() + "]";
    }
}
