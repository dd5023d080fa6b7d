package io.ragsync.ops.health;

import io.ragsync.targets.local.IndexTargets;
import io.ragsync.targets.ragflow.RagflowConfigException;
import io.ragsync.targets.ragflow.RagflowCredentials;
import io.ragsync.targets.ragflow.RagflowGate;
import java.time.Duration;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * RAGFlow reachability with the configured key: the cheapest authenticated call (list one dataset) through the
 * same route every RAGFlow call takes ({@code direct:ragflow-list-one-dataset} → {@code ragflow-call}), so the
 * answer is classified by {@code RagflowResponses} exactly as for a sync. A rejected key or a wrong URL (HTTP
 * 401/403/404, code 109, code 0 with data:false) is {@code CONFIG_ERROR}, not DOWN: waiting will not fix it.
 * The key itself never leaves the credentials bean except towards RAGFlow; details show only its last 4 chars.
 * While no knowledge base, unfinished job or default targets RAGFlow it is not probed and counts as UP ("not in use").
 */
@Component("ragflow")
public class RagflowHealthIndicator extends CachedHealthIndicator {

    private final ProducerTemplate producer;
    private final RagflowCredentials credentials;
    private final RagflowGate gate;
    private final IndexTargets targets;
    private final String baseUrl;

    public RagflowHealthIndicator(ProducerTemplate producer, RagflowCredentials credentials, RagflowGate gate,
                                  IndexTargets targets, @Value("${app.ragflow.base-url}") String baseUrl,
                                  @Value("${app.ops.health.cache-ms:5000}") long cacheMs,
            @Value("${app.ops.health.timeout-ms:5000}") long timeoutMs) {
        super(Duration.ofMillis(cacheMs), Duration.ofMillis(timeoutMs));
        this.producer = producer;
        this.credentials = credentials;
        this.gate = gate;
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
            if (cause instanceof RagflowConfigException) {
                builder.status(CONFIG_ERROR).withDetail("error", cause.getMessage());
            } else {
                builder.down().withDetail("error", cause.getClass().getSimpleName() + ": " + cause.getMessage());
            }
        }
    }
}
