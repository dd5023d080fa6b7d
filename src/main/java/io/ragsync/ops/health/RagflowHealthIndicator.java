package io.ragsync.ops.health;

import io.ragsync.targets.local.IndexTargets;
import io.ragsync.targets.ragflow.RagflowBreaker;
import io.ragsync.targets.ragflow.RagflowConfigException;
import io.ragsync.targets.ragflow.RagflowCredentials;
import io.ragsync.targets.ragflow.RagflowGate;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * The cheapest authenticated call through the route every RAGFlow call takes, so the answer is read as for a sync;
 * a rejected key or wrong URL is CONFIG_ERROR, not DOWN: waiting will not fix it. Only the key's last 4 chars show.
 */
@Component("ragflow")
public class RagflowHealthIndicator extends CachedHealthIndicator {

    private final ProducerTemplate producer;
    private final RagflowCredentials credentials;
    private final RagflowGate gate;
    private final RagflowBreaker breaker;
    private final IndexTargets targets;
    private final String baseUrl;

    public RagflowHealthIndicator(ProducerTemplate producer, RagflowCredentials credentials, RagflowGate gate,
                                  RagflowBreaker breaker, IndexTargets targets,
                                  @Value("${app.ragflow.base-url}") String baseUrl, Settings settings) {
        super(settings);
        this.producer = producer;
        this.credentials = credentials;
        this.gate = gate;
        this.breaker = breaker;
        this.targets = targets;
        this.baseUrl = baseUrl;
    }

    @Override
    protected void probe(Health.Builder builder) {
        if (!targets.ragflowInUse()) {
            builder.up().withDetail("inUse", false).withDetail("note", "not in use: no knowledge base or job targets"
                    + " RAGFlow and the default target is " + targets.defaultTarget());
            return;
        }
        builder.withDetail("inUse", true).withDetail("baseUrl", baseUrl).withDetail("apiKey", credentials.maskedKey())
                .withDetail("jobsPaused", !gate.allowsRequests());
        if (!gate.allowsRequests()) {
            builder.withDetail("pausedBecause", gate.reason());
        }
        if (!credentials.isConfigured()) {
            builder.status(CONFIG_ERROR).withDetail("error", "no API key configured (RAGFLOW_API_KEY)");
            return;
        }
        try {
            producer.requestBody("direct:ragflow-list-one-dataset", "");
            builder.up();
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String refusal = breaker.refusalOf(cause);
            if (cause instanceof RagflowConfigException) {
                builder.status(CONFIG_ERROR).withDetail("error", cause.getMessage());
            } else if (refusal != null) {
                builder.down().withDetail("error", refusal);
            } else {
                builder.down().withDetail("error", cause.getClass().getSimpleName() + ": " + cause.getMessage());
            }
        }
    }
}
