package io.ragsync.ops.health;

import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.targets.local.IndexTargets;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/** One listing page through the route every LightRAG call takes, so the answer is read as for a sync. */
@Component("lightrag")
public class LightragHealthIndicator extends CachedHealthIndicator {

    private final ProducerTemplate producer;
    private final IndexTargets targets;

    public LightragHealthIndicator(ProducerTemplate producer, IndexTargets targets, Settings settings) {
        super(settings);
        this.producer = producer;
        this.targets = targets;
    }

    @Override
    protected void probe(Health.Builder builder) {
        if (!targets.lightragInUse()) {
            builder.up().withDetail("inUse", false);
            return;
        }
        builder.withDetail("inUse", true);
        try {
            producer.requestBody("direct:lightrag-list-page", "");
            builder.up();
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            builder.status(cause instanceof PermanentSyncException ? CONFIG_ERROR : Status.DOWN)
                    .withDetail("error", cause.getMessage());
        }
    }
}
