package io.ragsync.targets.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.platform.security.ApiCaller;
import io.ragsync.platform.security.ApiCallers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/retrieval} of the local index (routes/targets/local/local-retrieval.camel.yaml): reads and checks the
 * request, runs the search on the chunk store and answers in the shape of RAGFlow's retrieval API
 * ({@code {code:0, data:{total, chunks:[...], doc_aggs:[...]}}}) so clients can switch targets. Bad input is an
 * {@link IllegalArgumentException} (HTTP 400).
 */
@Component("localRetrieval")
public class LocalRetrieval {

    /** A checked retrieval request. */
    public record Query(String question, List<Long> knowledgeBaseIds, List<String> documentIds, int topK, int page,
                        int pageSize, double threshold, List<String> roles, String tenant,
                        Map<String, Object> metadataFilter, Map<String, Object> metadataCondition) {
        public boolean isBlank() {
            return question.isBlank();
        }
    }

    private final ChunkStore store;
    private final ApiCallers callers;
    private final ObjectMapper mapper;
    private final int defaultTopK;
    private final int defaultPageSize;
    private final double defaultThreshold;

    public LocalRetrieval(ChunkStore store, ApiCallers callers, ObjectMapper mapper,
                          @Value("${app.index.retrieval.top-k:1024}") int defaultTopK,
                          @Value("${app.index.retrieval.page-size:30}") int defaultPageSize,
                          @Value("${app.index.retrieval.similarity-threshold:0.2}") double defaultThreshold) {
        this.store = store;
        this.callers = callers;
        this.mapper = mapper;
        this.defaultTopK = defaultTopK;
        this.defaultPageSize = defaultPageSize;
        this.defaultThreshold = defaultThreshold;
    }

    /**
     * The request of this exchange, filtered by its authenticated caller's tenant and roles; malformed JSON reaches
     * the api-errors handler, which answers it as 400.
     */
    public Query request(Exchange exchange) throws java.io.IOException {
        ApiCaller caller = callers.require(exchange, "retrieve");
        byte[] raw = exchange.getIn().getBody(byte[].class);
        if (raw == null || raw.length == 0) {
            throw new IllegalArgumentException("the request body is empty: a JSON object is expected");
        }
        return query(mapper.readValue(raw, Object.class), caller);
    }

    /**
     * Checks the request body; the tenant and roles come from the caller (its credential, or the end user it acts for
     * with a verified token), never from the body, whose {@code roles} and {@code tenant} are ignored.
     */
    public Query query(Object body, ApiCaller caller) {
        if (!(body instanceof Map<?, ?> raw)) {
            throw new IllegalArgumentException("the request body must be a JSON object");
        }
        Map<String, Object> m = mapper.convertValue(raw, new TypeReference<Map<String, Object>>() { });
        Object q = m.get("question");
        if (!(q instanceof String question)) {
            throw new IllegalArgumentException("question is required (a string)");
        }
        Object ids = m.containsKey("knowledge_base_ids") ? m.get("knowledge_base_ids") : m.get("dataset_ids");
        if (!(ids instanceof List<?> idList) || idList.isEmpty()) {
            throw new IllegalArgumentException("knowledge_base_ids is required: a non-empty list of knowledge base ids");
        }
        List<Long> kbIds = new ArrayList<>();
        for (Object id : idList) {
            kbIds.add(positiveLong(id, "knowledge_base_ids"));
        }
        List<String> documentIds = null;
        if (m.get("document_ids") != null) {
            if (!(m.get("document_ids") instanceof List<?> docs)) {
                throw new IllegalArgumentException("document_ids must be a list");
            }
            documentIds = docs.stream().map(String::valueOf).toList();
        }
        int topK = intField(m, "top_k", defaultTopK);
        if (topK <= 0) {
            throw new IllegalArgumentException("top_k must be positive");
        }
        int page = intField(m, "page", 1);
        if (page <= 0) {
            throw new IllegalArgumentException("page must be positive");
        }
        int pageSize = intField(m, "page_size", defaultPageSize);
        if (pageSize <= 0 || pageSize > 100) {
            throw new IllegalArgumentException("page_size must be between 1 and 100");
        }
        double threshold = doubleField(m, "similarity_threshold", defaultThreshold);
        if (threshold < -1 || threshold > 1) {
            throw new IllegalArgumentException("similarity_threshold must be between -1 and 1");
        }
        List<String> roles = List.copyOf(new java.util.TreeSet<>(caller.roles()));
        String tenant = caller.retrievalTenant();
        Map<String, Object> filter = object(m, "metadata_filter");
        if (filter == null) {
            filter = object(m, "filter");
        }
        Map<String, Object> condition = object(m, "metadata_condition");
        if (condition != null) {
            Object conditions = condition.get("conditions");
            Object logic = condition.get("logic");
            if (conditions != null && !(conditions instanceof List<?>)) {
                throw new IllegalArgumentException("metadata_condition.conditions must be a list");
            }
            if (logic != null && !"and".equalsIgnoreCase(String.valueOf(logic)) && !"or".equalsIgnoreCase(String.valueOf(logic))) {
                throw new IllegalArgumentException("metadata_condition.logic must be and or or");
            }
            if (conditions instanceof List<?> list) {
                for (Object c : list) {
                    if (!(c instanceof Map<?, ?> cm) || !(cm.get("name") instanceof String)
                            || !(cm.get("comparison_operator") instanceof String)) {
                        throw new IllegalArgumentException("each metadata_condition condition needs name and"
                                + " comparison_operator");
                    }
                }
            }
        }
        return new Query(question.strip(), kbIds, documentIds, topK, page, pageSize, threshold, roles,
                tenant, filter, condition);
    }

    public List<Map<String, Object>> search(Query query, List<float[]> questionVectors) throws Exception {
        int limit = Math.min(query.topK(), query.page() * query.pageSize());
        return store.search(new ChunkStore.Search(questionVectors.get(0),
                mapper.writeValueAsString(query.knowledgeBaseIds()),
                query.documentIds() == null ? null : mapper.writeValueAsString(query.documentIds()),
                query.tenant(), mapper.writeValueAsString(query.roles()),
                query.metadataFilter() == null ? null : mapper.writeValueAsString(query.metadataFilter()),
                query.metadataCondition() == null ? null : mapper.writeValueAsString(query.metadataCondition()),
                limit, query.threshold()));
    }

    /** RAGFlow's retrieval answer for the rows of the requested page (none for a blank question). */
    public String answer(Query query, List<Map<String, Object>> found) throws Exception {
        List<Map<String, Object>> rows = found == null ? List.of() : found;
        List<Map<String, Object>> chunks = new ArrayList<>();
        Map<String, Map<String, Object>> aggs = new LinkedHashMap<>();
        int from = (query.page() - 1) * query.pageSize();
        for (int i = from; i < rows.size() && chunks.size() < query.pageSize(); i++) {
            Map<String, Object> row = rows.get(i);
            Map<String, Object> metadata = mapper.readValue(String.valueOf(row.get("metadata")),
                    new TypeReference<Map<String, Object>>() { });
            String documentId = String.valueOf(row.get("source_id"));
            Object name = metadata.getOrDefault("file_name", metadata.getOrDefault("title", documentId));
            double similarity = ((Number) row.get("similarity")).doubleValue();
            Map<String, Object> chunk = new LinkedHashMap<>();
            chunk.put("id", String.valueOf(row.get("id")));
            chunk.put("content", row.get("content"));
            chunk.put("document_id", documentId);
            chunk.put("document_keyword", name);
            chunk.put("dataset_id", String.valueOf(row.get("knowledge_base_id")));
            chunk.put("knowledge_base_id", row.get("knowledge_base_id"));
            chunk.put("source_type", row.get("source_type"));
            chunk.put("chunk_index", row.get("chunk_index"));
            chunk.put("similarity", similarity);
            chunk.put("vector_similarity", similarity);
            chunk.put("term_similarity", 0.0);
            chunk.put("important_keywords", List.of());
            chunk.put("positions", List.of());
            chunk.put("image_id", "");
            chunk.put("metadata", metadata);
            chunks.add(chunk);
            countChunk(aggs, documentId, name);
        }
        return mapper.writeValueAsString(body(rows.size(), chunks, aggs));
    }

    /** Counts a chunk in RAGFlow's doc_aggs (by document id, in order of first appearance). */
    public static void countChunk(Map<String, Map<String, Object>> aggs, String documentId, Object name) {
        Map<String, Object> agg = aggs.computeIfAbsent(documentId, id -> {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("doc_name", name);
            a.put("doc_id", id);
            a.put("count", 0);
            return a;
        });
        agg.put("count", (Integer) agg.get("count") + 1);
    }

    /** RAGFlow's retrieval answer: {code:0, data:{total, chunks, doc_aggs}}. */
    public static Map<String, Object> body(long total, List<?> chunks, Map<String, Map<String, Object>> aggs) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("total", total);
        data.put("chunks", chunks);
        data.put("doc_aggs", new ArrayList<>(aggs.values()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 0);
        body.put("data", data);
        return body;
    }

    private static long positiveLong(Object value, String field) {
        try {
            long v = value instanceof Number n && !(value instanceof Double || value instanceof Float)
                    ? n.longValue() : Long.parseLong(String.valueOf(value).trim());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new IllegalArgumentException(field + " must hold positive integer ids, got " + value);
    }

    private static int intField(Map<String, Object> m, String field, int fallback) {
        Object v = m.get(field);
        if (v == null) {
            return fallback;
        }
        try {
            return v instanceof Number n ? Math.toIntExact(n.longValue()) : Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(field + " must be an integer, got " + v);
        }
    }

    private static double doubleField(Map<String, Object> m, String field, double fallback) {
        Object v = m.get(field);
        if (v == null) {
            return fallback;
        }
        try {
            return v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " must be a number, got " + v);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(field + " must be a JSON object");
        }
        return (Map<String, Object>) v;
    }
}
