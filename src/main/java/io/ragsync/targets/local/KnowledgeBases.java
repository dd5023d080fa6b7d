package io.ragsync.targets.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.platform.security.ApiCallers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * Which knowledge bases a caller's tenant may list, and the names in a retrieval request turned into the ids the
 * caller may read. Names are data: compared in SQL (select-knowledge-bases-by-name.sql), never evaluated.
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
        return callers.require(exchange, "retrieve").retrievalTenant();
    }

    /**
     * Sets knowledgeBaseNames (JSON array for the SQL, null when the request names none) and then callerTenant; keeps
     * the body as bytes, also in a property for {@link #replaceNames}, as the SQL step replaces the body.
     */
    public void namesIn(Exchange exchange) throws JsonProcessingException {
        byte[] raw = exchange.getIn().getBody(byte[].class);
        exchange.getIn().setBody(raw);
        exchange.setProperty("knowledgeBaseNames", null);
        List<Object> ids = ids(request(raw));
        if (ids == null) {
            return;
        }
        Set<String> names = ids.stream().map(KnowledgeBases::name).filter(Objects::nonNull)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (!names.isEmpty()) {
            exchange.setProperty(REQUEST, raw);
            exchange.setProperty("knowledgeBaseNames", mapper.writeValueAsString(names));
            exchange.setProperty("callerTenant", callerTenant(exchange));
        }
    }

    /** Replaces the request's names by the ids of the rows (name, id; a name may have several); unknown is a 400. */
    public void replaceNames(Exchange exchange) throws IOException {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = exchange.getIn().getBody(List.class);
        Map<String, Object> request = request(exchange.getProperty(REQUEST, byte[].class));
        Map<Object, List<Long>> byName = rows.stream().collect(Collectors.groupingBy(r -> r.get("name"),
                LinkedHashMap::new, Collectors.mapping(r -> ((Number) r.get("id")).longValue(), Collectors.toList())));
        List<Object> resolved = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Object id : ids(request)) {
            String name = name(id);
            if (name == null) {
                resolved.add(id);
            } else if (byName.containsKey(name)) {
                resolved.addAll(byName.get(name));
            } else {
                unknown.add(name);
            }
        }
        Assert.isTrue(unknown.isEmpty(), () -> "no knowledge base named " + String.join(", ", unknown)
                + " is readable with this credential: knowledge_base_ids takes ids or names");
        request.put(request.containsKey("knowledge_base_ids") ? "knowledge_base_ids" : "dataset_ids", resolved);
        exchange.getIn().setBody(mapper.writeValueAsBytes(request));
        exchange.removeProperty(REQUEST);
    }

    /** The knowledge base name an id entry stands for, or null for a numeric id (or anything but a string). */
    private static String name(Object id) {
        return id instanceof String s && !s.isBlank() && !ID.matcher(s.strip()).matches() ? s.strip() : null;
    }

    /** The JSON object of the body (Jackson reads objects as LinkedHashMap), null when it is none. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> request(byte[] raw) {
        if (raw == null || raw.length == 0) {
            return null;
        }
        try {
            return mapper.readValue(raw, Object.class) instanceof Map<?, ?> body ? (Map<String, Object>) body : null;
        } catch (IOException e) {
            return null; // the retrieval answers the malformed body as a bad request
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> ids(Map<String, Object> request) {
        Object ids = request == null ? null : request.containsKey("knowledge_base_ids")
                ? request.get("knowledge_base_ids") : request.get("dataset_ids");
        return ids instanceof List<?> list ? (List<Object>) list : null;
    }
}
