package io.ragsync.targets.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.platform.security.ApiCaller;
import io.ragsync.platform.security.ApiCallers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Knowledge bases as the API's callers see them: which tenant's they may list (GET /api/knowledge-bases), and
 * knowledge base names in a retrieval request turned into ids before the request is read. A knowledge base with a
 * tenant is seen by that tenant only, one without by every caller, as chunks are (sql/targets/local/search-chunks-*.sql).
 * Names are data: compared in SQL (sql/targets/local/select-knowledge-bases-by-name.sql), never evaluated.
 */
@Component("knowledgeBases")
public class KnowledgeBases {

    private static final Pattern ID = Pattern.compile("\\d{1,18}");
    private static final String REQUEST = "retrievalRequestBytes";

    private final ApiCallers callers;
    private final ObjectMapper mapper;

    public KnowledgeBases(ApiCallers callers, ObjectMapper mapper) {
        this.callers = callers;
        this.mapper = mapper;
    }

    /** The caller's tenant (the right {@code retrieve} reads knowledge bases); null for a platform-wide caller. */
    public String callerTenant(Exchange exchange) {
        ApiCaller caller = callers.require(exchange, "retrieve");
        return caller.retrievalTenant();
    }

    /**
     * Sets knowledgeBaseNames: the knowledge base names in a retrieval request's knowledge_base_ids (or dataset_ids),
     * as a JSON array for the SQL, or null when it names none (numbers only, or a body the retrieval itself will
     * refuse); and callerTenant when it names some. The body is kept as bytes, also in a property for
     * {@link #replaceNames} (the SQL step replaces the body).
     */
    public void namesIn(Exchange exchange) throws JsonProcessingException {
        byte[] raw = exchange.getIn().getBody(byte[].class);
        exchange.getIn().setBody(raw);
        exchange.setProperty("knowledgeBaseNames", null);
        List<Object> ids = ids(request(raw));
        if (ids == null) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        for (Object id : ids) {
            if (id instanceof String s && !ID.matcher(s.strip()).matches() && !s.isBlank()) {
                names.add(s.strip());
            }
        }
        if (!names.isEmpty()) {
            exchange.setProperty(REQUEST, raw);
            exchange.setProperty("knowledgeBaseNames", mapper.writeValueAsString(names));
            exchange.setProperty("callerTenant", callerTenant(exchange));
        }
    }

    /**
     * Replaces the names of the request by the ids the caller may read (rows of the name SQL: name, id; a name may
     * stand for several knowledge bases of the same name); a name without any is a bad request.
     */
    public void replaceNames(Exchange exchange) throws IOException {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = exchange.getIn().getBody(List.class);
        Map<String, Object> request = request(exchange.getProperty(REQUEST, byte[].class));
        Map<String, List<Long>> byName = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            byName.computeIfAbsent((String) row.get("name"), n -> new ArrayList<>()).add(((Number) row.get("id")).longValue());
        }
        String key = request.containsKey("knowledge_base_ids") ? "knowledge_base_ids" : "dataset_ids";
        List<Object> resolved = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Object id : ids(request)) {
            if (id instanceof String s && !ID.matcher(s.strip()).matches() && !s.isBlank()) {
                List<Long> found = byName.get(s.strip());
                if (found == null) {
                    unknown.add(s.strip());
                } else {
                    resolved.addAll(found);
                }
            } else {
                resolved.add(id);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no knowledge base named " + String.join(", ", unknown)
                    + " is readable with this credential: knowledge_base_ids takes ids or names");
        }
        request.put(key, resolved);
        exchange.getIn().setBody(mapper.writeValueAsBytes(request));
        exchange.removeProperty(REQUEST);
    }

    private Map<String, Object> request(byte[] raw) {
        if (raw == null || raw.length == 0) {
            return null;
        }
        try {
            Object body = mapper.readValue(raw, Object.class);
            return body instanceof Map<?, ?> ? mapper.convertValue(body, new TypeReference<LinkedHashMap<String, Object>>() { })
                    : null;
        } catch (IOException e) {
            return null; // the retrieval answers the malformed body as a bad request
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> ids(Map<String, Object> request) {
        if (request == null) {
            return null;
        }
        Object ids = request.containsKey("knowledge_base_ids") ? request.get("knowledge_base_ids") : request.get("dataset_ids");
        return ids instanceof List<?> list ? (List<Object>) list : null;
    }
}
