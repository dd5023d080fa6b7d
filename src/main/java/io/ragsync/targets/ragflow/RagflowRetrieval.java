package io.ragsync.targets.ragflow;

import static io.ragsync.targets.ragflow.RagflowRequests.fields;
import static io.ragsync.targets.ragflow.RagflowResponses.column;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.targets.local.LocalRetrieval;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/retrieval} on RAGFlow knowledge bases: restricted to what the caller may read
 * ({@link RagflowAccess}), answered without any chunk of a document the hub does not let the caller see.
 */
@Component("ragflowRetrieval")
public class RagflowRetrieval {

    static final String RAGFLOW = "ragflow";
    static final String SCOPE = "retrievalScope";

    /** Where a retrieval goes: RAGFlow (with the datasets of its knowledge bases) or the local index. */
    public record Scope(boolean ragflow, List<String> datasetIds) {
    }

    private final RagflowRequests requests;
    private final ObjectMapper mapper;

    public RagflowRetrieval(RagflowRequests requests, ObjectMapper mapper) {
        this.requests = requests;
        this.mapper = mapper;
    }

    /** Parameters of sql/targets/ragflow/select-retrieval-knowledge-bases.sql. */
    public Map<String, Object> knowledgeBases(LocalRetrieval.Query query) throws JsonProcessingException {
        return fields("knowledgeBaseIds", mapper.writeValueAsString(query.knowledgeBaseIds()),
                "tenant", query.tenant());
    }

    /**
     * Sets {@value #SCOPE}: the target of the requested knowledge bases; RAGFlow and another together: 400. A
     * requested id the caller may not read is a 400 too, in the same words whether it exists or not.
     */
    public void scope(@Body List<Map<String, Object>> rows,
                      @ExchangeProperty("retrievalQuery") LocalRetrieval.Query query, Exchange exchange) {
        Set<Long> readable = new HashSet<>();
        rows.forEach(row -> readable.add(((Number) row.get("id")).longValue()));
        List<Long> unreadable = query.knowledgeBaseIds().stream().filter(id -> !readable.contains(id)).toList();
        if (!unreadable.isEmpty()) {
            throw new IllegalArgumentException("no knowledge base " + unreadable.stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")) + " is readable with this credential");
        }
        exchange.setProperty(SCOPE, scope(rows));
    }

    Scope scope(List<Map<String, Object>> rows) {
        Set<String> targets = new LinkedHashSet<>();
        List<String> datasets = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            targets.add(String.valueOf(row.get("target")));
            if (row.get("ragflow_dataset_id") instanceof String dataset && !dataset.isBlank()) {
                datasets.add(dataset);
            }
        }
        if (targets.contains(RAGFLOW) && targets.size() > 1) {
            throw new IllegalArgumentException("the knowledge bases are synced to different targets " + targets
                    + ": retrieve from the RAGFlow ones and the others in separate requests");
        }
        return new Scope(targets.contains(RAGFLOW), List.copyOf(datasets));
    }

    /** RAGFlow's retrieval for the request; null when there is nothing to ask (blank question, no dataset yet). */
    public RagflowCall call(LocalRetrieval.Query query, Scope scope) {
        if (query.documentIds() != null) {
            throw new IllegalArgumentException("document_ids is not supported on RAGFlow knowledge bases:"
                    + " use metadata_condition on external_id");
        }
        if (query.isBlank() || scope.datasetIds().isEmpty()) {
            return null;
        }
        return requests.retrieval(withFilter(query), scope.datasetIds());
    }

    /** Parameters of sql/targets/ragflow/select-retrieval-documents.sql: the documents of the answer's chunks. */
    public Map<String, Object> documents(LocalRetrieval.Query query, RagflowAnswer answer) throws JsonProcessingException {
        Set<String> ids = new LinkedHashSet<>();
        chunks(answer).forEach(chunk -> ids.add(chunk.path("document_id").asText()));
        return fields("ragflowDocumentIds", mapper.writeValueAsString(ids), "tenant", query.tenant(),
                "roles", mapper.writeValueAsString(query.roles()));
    }

    /** RAGFlow's answer with only the chunks of the visible documents (select-retrieval-documents.sql), recounted. */
    public String answer(RagflowAnswer answer, List<Map<String, Object>> visibleRows) throws JsonProcessingException {
        Set<String> visible = visibleRows == null ? Set.of() : column(visibleRows, "ragflow_document_id");
        List<JsonNode> chunks = new ArrayList<>();
        Map<String, Map<String, Object>> aggs = new LinkedHashMap<>();
        int dropped = 0;
        for (JsonNode chunk : chunks(answer)) {
            String documentId = chunk.path("document_id").asText();
            if (!visible.contains(documentId)) {
                dropped++;
                continue;
            }
            chunks.add(chunk);
            LocalRetrieval.countChunk(aggs, documentId, chunk.path("document_keyword").asText(documentId));
        }
        long total = answer == null || answer.data() == null ? 0 : answer.data().path("total").asLong(0);
        return mapper.writeValueAsString(LocalRetrieval.body(Math.max(chunks.size(), total - dropped), chunks, aggs));
    }

    /** The request's metadata_filter ({key: value}) as "is" conditions of its metadata_condition. */
    private static LocalRetrieval.Query withFilter(LocalRetrieval.Query query) {
        if (query.metadataFilter() == null || query.metadataFilter().isEmpty()) {
            return query;
        }
        Map<String, Object> condition = new LinkedHashMap<>(query.metadataCondition() == null
                ? Map.of("logic", "and") : query.metadataCondition());
        List<Object> conditions = new ArrayList<>(condition.get("conditions") instanceof List<?> l ? l : List.of());
        query.metadataFilter().forEach((key, value) -> conditions.add(Map.of("name", key, "comparison_operator", "is",
                "value", String.valueOf(value))));
        condition.put("conditions", conditions);
        return new LocalRetrieval.Query(query.question(), query.knowledgeBaseIds(), null, query.topK(), query.page(),
                query.pageSize(), query.threshold(), query.roles(), query.tenant(), null, condition);
    }

    private static Iterable<JsonNode> chunks(RagflowAnswer answer) {
        return answer == null || answer.data() == null ? List.of() : answer.data().path("chunks");
    }
}
