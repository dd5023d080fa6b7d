package io.ragsync.targets.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.ragsync.platform.api.ApiIds;
import io.ragsync.platform.security.ApiCaller;
import io.ragsync.platform.security.ApiCallers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/** POST /api/retrieval on the local index, answered in RAGFlow's shape so that clients can switch targets. */
@Component("localRetrieval")
@EnableConfigurationProperties(LocalRetrieval.Defaults.class)
public class LocalRetrieval {

    /** A checked retrieval request. */
    public record Query(String question, List<Long> knowledgeBaseIds, List<String> documentIds, int topK, int page,
                        int pageSize, double threshold, List<String> roles, String tenant,
                        Map<String, Object> metadataFilter, Map<String, Object> metadataCondition) {
        public boolean isBlank() {
            return question.isBlank();
        }
    }

    /** One chunk of the answer, in RAGFlow's shape (the similarity is the vector one: there is no term search). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Chunk(String id, Object content, String documentId, Object documentKeyword, String datasetId,
                 Object knowledgeBaseId, Object sourceType, Object chunkIndex, double similarity,
                 double vectorSimilarity, double termSimilarity, List<Object> importantKeywords, List<Object> positions,
                 String imageId, Map<String, Object> metadata) {
    }

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() { };

    /** {@code app.index.retrieval.*}: what a request leaves out. */
    @ConfigurationProperties("app.index.retrieval")
    public record Defaults(@DefaultValue("1024") int topK, @DefaultValue("30") int pageSize,
                           @DefaultValue("0.2") double similarityThreshold) {
    }

    private final ChunkStore store;
    private final ApiCallers callers;
    private final ObjectMapper mapper;
    private final Defaults defaults;

    public LocalRetrieval(ChunkStore store, ApiCallers callers, ObjectMapper mapper, Defaults defaults) {
        this.store = store;
        this.callers = callers;
        this.mapper = mapper;
        this.defaults = defaults;
    }

    /** The request read by knowledgeBases.namesIn; tenant and roles are the caller's, never the body's. */
    public Query request(Exchange exchange) {
        ApiCaller caller = callers.require(exchange, "retrieve");
        Map<String, Object> m = mapper.convertValue(exchange.getVariable(KnowledgeBases.REQUEST), JSON_OBJECT);
        Assert.isTrue(m.get("question") instanceof String, "question is required (a string)");
        Object ids = m.containsKey("knowledge_base_ids") ? m.get("knowledge_base_ids") : m.get("dataset_ids");
        Assert.isTrue(ids instanceof List<?> list && !list.isEmpty(),
                "knowledge_base_ids is required: a non-empty list of knowledge base ids");
        List<Long> kbIds = ((List<?>) ids).stream().map(LocalRetrieval::positiveId).toList();
        Object docs = m.get("document_ids");
        Assert.isTrue(docs == null || docs instanceof List<?>, "document_ids must be a list");
        List<String> documentIds = docs == null ? null : ((List<?>) docs).stream().map(String::valueOf).toList();
        int topK = intField(m, "top_k", defaults.topK());
        Assert.isTrue(topK > 0, "top_k must be positive");
        int page = intField(m, "page", 1);
        Assert.isTrue(page > 0, "page must be positive");
        int pageSize = intField(m, "page_size", defaults.pageSize());
        Assert.isTrue(pageSize > 0 && pageSize <= 100, "page_size must be between 1 and 100");
        double threshold = number(m, "similarity_threshold", defaults.similarityThreshold(), "a number",
                v -> v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v).trim()));
        Assert.isTrue(threshold >= -1 && threshold <= 1, "similarity_threshold must be between -1 and 1");
        Map<String, Object> filter = object(m, m.get("metadata_filter") != null ? "metadata_filter" : "filter");
        Map<String, Object> condition = object(m, "metadata_condition");
        if (condition != null) {
            Object conditions = condition.get("conditions");
            Object logic = condition.get("logic");
            Assert.isTrue(conditions == null || conditions instanceof List<?>,
                    "metadata_condition.conditions must be a list");
            Assert.isTrue(logic == null || "and".equalsIgnoreCase(String.valueOf(logic))
                    || "or".equalsIgnoreCase(String.valueOf(logic)), "metadata_condition.logic must be and or or");
            Assert.isTrue(!(conditions instanceof List<?> list) || list.stream().allMatch(c -> c instanceof Map<?, ?> cm
                            && cm.get("name") instanceof String && cm.get("comparison_operator") instanceof String),
                    "each metadata_condition condition needs name and comparison_operator");
        }
        return new Query(((String) m.get("question")).strip(), kbIds, documentIds, topK, page, pageSize, threshold,
                List.copyOf(new TreeSet<>(caller.roles())), caller.retrievalTenant(), filter, condition);
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
        List<Chunk> chunks = new ArrayList<>();
        Map<String, Map<String, Object>> aggs = new LinkedHashMap<>();
        int from = (query.page() - 1) * query.pageSize();
        for (int i = from; i < rows.size() && chunks.size() < query.pageSize(); i++) {
            Map<String, Object> row = rows.get(i);
            Map<String, Object> metadata = mapper.readValue(String.valueOf(row.get("metadata")), JSON_OBJECT);
            String documentId = String.valueOf(row.get("source_id"));
            Object name = metadata.getOrDefault("file_name", metadata.getOrDefault("title", documentId));
            double similarity = ((Number) row.get("similarity")).doubleValue();
            chunks.add(new Chunk(String.valueOf(row.get("id")), row.get("content"), documentId, name,
                    String.valueOf(row.get("knowledge_base_id")), row.get("knowledge_base_id"), row.get("source_type"),
                    row.get("chunk_index"), similarity, similarity, 0.0, List.of(), List.of(), "", metadata));
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
    public static Answer body(long total, List<?> chunks, Map<String, Map<String, Object>> aggs) {
        return new Answer(0, new AnswerData(total, chunks, new ArrayList<>(aggs.values())));
    }

    public record Answer(int code, AnswerData data) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AnswerData(long total, List<?> chunks, List<Map<String, Object>> docAggs) {
    }

    private static long positiveId(Object value) {
        String text = value instanceof Double || value instanceof Float || value instanceof BigDecimal ? ""
                : String.valueOf(value).trim();
        long id = ApiIds.isId(text) ? Long.parseLong(text) : 0;
        if (id == 0) {
            throw new IllegalArgumentException("knowledge_base_ids must hold positive integer ids, got " + value);
        }
        return id;
    }

    private static int intField(Map<String, Object> m, String field, int fallback) {
        return number(m, field, fallback, "an integer", v -> v instanceof Number n ? Math.toIntExact(n.longValue())
                : Integer.parseInt(String.valueOf(v).trim()));
    }

    /** The field read by {@code read}, or the fallback when absent; unreadable is a 400 naming the field. */
    private static <T> T number(Map<String, Object> m, String field, T fallback, String kind,
                                Function<Object, T> read) {
        Object v = m.get(field);
        try {
            return v == null ? fallback : read.apply(v);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(field + " must be " + kind + ", got " + v);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> m, String field) {
        Object v = m.get(field);
        Assert.isTrue(v == null || v instanceof Map<?, ?>, () -> field + " must be a JSON object");
        return (Map<String, Object>) v;
    }
}
