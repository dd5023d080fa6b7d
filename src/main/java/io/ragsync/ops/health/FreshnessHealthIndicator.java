package io.ragsync.ops.health;

import io.ragsync.ops.metrics.FreshnessMetrics;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/** Answered with 200 and kept out of readiness: restarting the hub would not make the engine catch up. */
@Component("freshness")
public class FreshnessHealthIndicator extends AbstractHealthIndicator {

    public static final Status STALE = new Status("STALE", "documents wait longer than the freshness threshold");

    private final FreshnessMetrics freshness;

    public FreshnessHealthIndicator(FreshnessMetrics freshness) {
        this.freshness = freshness;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        long stale = freshness.staleDocuments();
        builder.status(stale > 0 ? STALE : Status.UP)
                .withDetail("state", stale > 0 ? "stale" : "fresh")
                .withDetail("staleDocuments", stale)
                .withDetail("oldestWaitSeconds", stale > 0 ? freshness.oldestWaitSeconds() : 0)
                .withDetail("thresholdSeconds", freshness.threshold().toSeconds());
    }
}
