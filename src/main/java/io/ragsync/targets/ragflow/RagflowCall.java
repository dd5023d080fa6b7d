package io.ragsync.targets.ragflow;

/** One request to RAGFlow's API (/api/v1): path and query encoded, the body a Map (JSON) or an HttpEntity (upload). */
public record RagflowCall(String method, String path, String query, Object body, Missing missing) {

    /** What RAGFlow's code 102 means for a call: a failure, an empty answer (the thing is absent), or "retry". */
    public enum Missing { FAIL, EMPTY, RETRY }
}
