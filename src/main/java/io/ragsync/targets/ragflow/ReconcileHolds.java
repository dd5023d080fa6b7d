package io.ragsync.targets.ragflow;

import static io.ragsync.targets.ragflow.RagflowResponses.column;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.platform.api.ApiException;
import io.ragsync.platform.security.ApiCaller;
import io.ragsync.platform.security.ApiCallers;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;

/** Reconciliation's held-back deletions (reconcile_hold): an approval deletes only the held orphans still orphans. */
@Component("reconcileHolds")
public class ReconcileHolds {

    private static final TypeReference<List<Map<String, Object>>> ORPHANS = new TypeReference<>() { };

    private final ObjectMapper mapper;
    private final ApiCallers callers;

    public ReconcileHolds(ObjectMapper mapper, ApiCallers callers) {
        this.mapper = mapper;
        this.callers = callers;
    }

    /** The parameters of sql/targets/ragflow/upsert-reconcile-hold.sql for a held plan. */
    public Map<String, Object> row(@Body Map<String, Object> plan,
                                   @ExchangeProperty("knowledgeBaseId") Object knowledgeBaseId,
                                   @ExchangeProperty("datasetId") String datasetId) throws JsonProcessingException {
        return Map.of("knowledgeBaseId", knowledgeBaseId, "datasetId", datasetId,
                "orphans", mapper.writeValueAsString(plan.get("orphans")), "orphanCount", plan.get("wouldDelete"),
                "listed", plan.get("listed"), "maxDeletePercent", plan.get("maxDeletePercent"),
                "reason", plan.get("holdReason"), "detail", plan.get("holdDetail"));
    }

    /** An approval deletes only under the reconcile lease, never beside a reconciliation: 409 (hold kept) without. */
    public void leased(@Header("CamelSqlRowCount") Integer rows) {
        if (rows == null || rows == 0) {
            throw new ApiException(409, "busy", null,
                    "a reconciliation or another approval holds the reconcile lease: nothing was deleted; approve again once it has ended");
        }
    }

    /** Sets knowledgeBaseId, datasetId and approvedBy from the open hold read; 404 when there is none. */
    public void open(@Body Map<String, Object> hold, Exchange exchange) {
        if (hold == null) {
            throw new ApiException(404, "not_found", "id", "no open reconcile hold with this id");
        }
        exchange.setProperty("knowledgeBaseId", hold.get("knowledge_base_id"));
        exchange.setProperty("datasetId", hold.get("ragflow_dataset_id"));
        exchange.setProperty("approvedBy", approver(exchange));
    }

    /** The held orphans no current document owns now (a document mapped since the hold is kept); sets deletedCount. */
    public List<Object> stillOrphans(@ExchangeProperty("hold") Map<String, Object> hold,
                                     @Body List<Map<String, Object>> mapped, Exchange exchange)
            throws JsonProcessingException {
        Set<String> owned = column(mapped, "ragflow_document_id");
        List<Object> ids = mapper.readValue(String.valueOf(hold.get("orphans")), ORPHANS).stream()
                .map(o -> (Object) String.valueOf(o.get("id"))).filter(id -> !owned.contains(id)).toList();
        exchange.setProperty("deletedCount", ids.size());
        return ids;
    }

    /** The approval's answer. */
    public Map<String, Object> approved(@ExchangeProperty("holdId") long holdId,
                                        @ExchangeProperty("hold") Map<String, Object> hold,
                                        @ExchangeProperty("orphanIds") List<Object> deleted) {
        return RagflowRequests.fields("status", "approved", "holdId", holdId, "deleted", deleted.size(),
                "kept", ((Number) hold.get("orphan_count")).intValue() - deleted.size());
    }

    private String approver(Exchange exchange) {
        ApiCaller caller = callers.current(exchange);
        if (caller != null) {
            return "credential " + caller.name();
        }
        Principal user = exchange.getIn() instanceof PlatformHttpMessage http && http.getRequest() != null
                ? http.getRequest().getUserPrincipal() : null;
        return user == null ? "operator" : "operator " + user.getName();
    }
}
