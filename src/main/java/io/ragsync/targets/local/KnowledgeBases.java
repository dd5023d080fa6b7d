package io.ragsync.targets.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ragsync.platform.api.ApiBodies;
import io.ragsync.platform.api.ApiIds;
import io.ragsync.platform.security.ApiCallers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/** The caller's knowledge bases, and a request's names made ids; names are data, compared in SQL, never evaluated. */
@Component("knowledgeBases")
public class KnowledgeBases {

    static final String REQUEST = "retrievalRequest";
    private static final ApiBodies BODIES = ApiBodies.api();

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

    /** The request (retrievalRequest), read after the right; its names (knowledgeBaseNames, JSON) and callerTenant. */
    public void namesIn(Exchange exchange) throws JsonProcessingException {
        exchange.setProperty("callerTenant", callerTenant(exchange));
        ObjectNode request = BODIES.object(BODIES.read(exchange, Long.MAX_VALUE));
        exchange.setVariable(REQUEST, request);
        Set<String> names = ids(request).stream().map(KnowledgeBases::name).filter(Objects::nonNull)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        exchange.setProperty("knowledgeBaseNames", names.isEmpty() ? null : mapper.writeValueAsString(names));
    }

    /** Replaces the request's names by the ids of the rows (name, id; a name may have several); unknown is a 400. */
    public void replaceNames(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = exchange.getIn().getBody(List.class);
        ObjectNode request = exchange.getVariable(REQUEST, ObjectNode.class);
        ArrayNode resolved = request.arrayNode();
        List<String> unknown = new ArrayList<>();
        for (JsonNode id : ids(request)) {
            String name = name(id);
            if (name == null) {
                resolved.add(id);
                continue;
            }
            List<Long> found = rows.stream().filter(r -> name.equals(r.get("name")))
                    .map(r -> ((Number) r.get("id")).longValue()).toList();
            if (found.isEmpty()) {
                unknown.add(name);
            } else {
                found.forEach(resolved::add);
            }
        }
        Assert.isTrue(unknown.isEmpty(), () -> "no knowledge base named " + String.join(", ", unknown)
                + " is readable with this credential: knowledge_base_ids takes ids or names");
        request.set(request.has("knowledge_base_ids") ? "knowledge_base_ids" : "dataset_ids", resolved);
    }

    /** The knowledge base name an id entry stands for, or null for a numeric id (or anything but a string). */
    private static String name(JsonNode id) {
        String s = id.isTextual() ? id.textValue().strip() : "";
        return s.isEmpty() || ApiIds.isId(s) ? null : s;
    }

    /** The entries of knowledge_base_ids (else dataset_ids); none when it is no list (refused by the retrieval). */
    static List<JsonNode> ids(ObjectNode request) {
        JsonNode ids = request.path(request.has("knowledge_base_ids") ? "knowledge_base_ids" : "dataset_ids");
        return ids.isArray() ? StreamSupport.stream(ids.spliterator(), false).toList() : List.of();
    }
}
