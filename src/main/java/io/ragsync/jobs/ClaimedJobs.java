package io.ragsync.jobs;

import io.ragsync.targets.ragflow.RagflowGate;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.springframework.stereotype.Component;

/** Starts the job flow of a claimed row: the row becomes the {@link Job} variable {@code job}. */
@Component("claimedJobs")
public class ClaimedJobs {

    private final RagflowGate ragflowGate;

    public ClaimedJobs(RagflowGate ragflowGate) {
        this.ragflowGate = ragflowGate;
    }

    /**
     * Sets variable {@code job} and leaves the row as the body. The ids, op, target and route are also plain
     * properties: statements and the log lines' MDC read them, and a Simple read of a record component copies the
     * whole exchange twice (bean language), a property read copies nothing.
     */
    public void start(Exchange exchange) throws InvalidPayloadException {
        @SuppressWarnings("unchecked")
        Map<String, Object> row = exchange.getMessage().getMandatoryBody(Map.class);
        Job job = Job.of(row);
        exchange.setVariable("job", job);
        exchange.setProperty("jobId", job.id());
        exchange.setProperty("documentId", job.documentId());
        exchange.setProperty("knowledgeBaseId", job.knowledgeBaseId());
        exchange.setProperty("op", job.op());
        exchange.setProperty("target", job.target());
        exchange.setProperty("source", job.source());
        if (row.containsKey("ragflow_dataset_id")) {
            exchange.setProperty("datasetId", row.get("ragflow_dataset_id"));
        }
        exchange.setProperty("jobRoute", job.route());
        // the job waits in the queue: its target is RAGFlow and RAGFlow rejected the key (claiming paused)
        exchange.setProperty("paused", job.ragflow() && !ragflowGate.allowsRequests());
    }

    /** The row an outcome's transition returned: outcome and durationMs for the report line and its MDC. */
    public void reported(Exchange exchange) {
        Map<?, ?> row = exchange.getMessage().getBody(Map.class);
        exchange.setProperty("outcome", row.get("status"));
        exchange.setProperty("durationMs", row.get("duration_ms"));
        exchange.setProperty("reportMessage", row.get("message"));
    }
}
