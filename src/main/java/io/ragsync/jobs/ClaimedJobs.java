package io.ragsync.jobs;

import io.ragsync.targets.ragflow.RagflowGate;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/** Starts the job flow of a claimed row: the row becomes the {@link Job} variable {@code job}. */
@Component("claimedJobs")
public class ClaimedJobs {

    private final RagflowGate ragflowGate;

    public ClaimedJobs(RagflowGate ragflowGate) {
        this.ragflowGate = ragflowGate;
    }

    /**
     * Sets variable {@code job} and leaves the row as the body; the target routes and their statements read the
     * ids as properties, and the log lines' MDC (app.ops.log.mdc-properties) the ids, op and target.
     */
    public void start(Exchange exchange) throws InvalidPayloadException {
        @SuppressWarnings("unchecked")
        Job job = Job.of(exchange.getMessage().getMandatoryBody(Map.class));
        exchange.setVariable("job", job);
        exchange.setProperty("jobId", job.id());
        exchange.setProperty("documentId", job.documentId());
        exchange.setProperty("knowledgeBaseId", job.knowledgeBaseId());
        exchange.setProperty("op", job.op());
        exchange.setProperty("target", job.target());
    }

    /** Whether the job waits in the queue: its target is RAGFlow and RAGFlow rejected the key (claiming paused). */
    public boolean paused(@Variable("job") Job job) {
        return job.ragflow() && !ragflowGate.allowsRequests();
    }
}
