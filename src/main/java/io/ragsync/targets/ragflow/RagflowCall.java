package io.ragsync.targets.ragflow;

/**
 * One request to RAGFlow's HTTP API (under /api/v1), built by {@link RagflowRequests} and sent by the route
 * ragflow-call: path segments already URL-encoded, the query string encoded, the body a Map (sent as JSON) or an
 * HttpEntity (an upload).
 *
 * @param missing what a code-102 answer means for this call: RAGFlow's "not found / not yours" of an id
 */
public record RagflowCall(String method, String path, String query, Object body, Missing missing) {

    /** What RAGFlow's code 102 means for a call: a failure, an empty answer (the thing is absent), or "retry". */
    public enum Missing { FAIL, EMPTY, RETRY }
}
