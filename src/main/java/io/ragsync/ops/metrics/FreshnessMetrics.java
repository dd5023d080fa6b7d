package io.ragsync.ops.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Freshness, from the change at the source to searchable, fed by routes/ops/ops-metrics.camel.yaml. */
@Component("freshnessMetrics")
public class FreshnessMetrics {

    private final MeterRegistry registry;
    private final Duration threshold;
    /** Histogram buckets: a fixed ladder plus the threshold (a few per series, not Micrometer's ~100). */
    private final Duration[] buckets;
    private final AtomicLong staleDocuments = new AtomicLong();
    private final AtomicLong oldestWaitSeconds = new AtomicLong();
    /** job id and end: a requeued job that ends again is a new sample. */
    private final RecordedOnce recorded = new RecordedOnce();

    public FreshnessMetrics(MeterRegistry registry,
                            @Value("${app.ops.freshness.threshold-seconds}") long thresholdSeconds) {
        this.registry = registry;
        this.threshold = Duration.ofSeconds(thresholdSeconds);
        this.buckets = LongStream.of(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400, thresholdSeconds)
                .distinct().sorted().mapToObj(Duration::ofSeconds).toArray(Duration[]::new);
        Gauge.builder("ragsync.freshness.stale.documents", staleDocuments, AtomicLong::get)
                .description("Documents whose change at the source waits longer than the freshness threshold")
                .register(registry);
        Gauge.builder("ragsync.freshness.stale", staleDocuments, n -> n.get() > 0 ? 1 : 0)
                .description("1 while some document waits longer than the freshness threshold, else 0")
                .register(registry);
    }

    /** Rows of sql/ops/select-freshness-samples.sql: {job_id, ended_at, knowledge_base_id, source, freshness_ms}. */
    public int recordSamples(List<Map<String, Object>> rows) {
        int count = 0;
        for (Map<String, Object> row : rows) {
            if (recorded.first(row.get("job_id") + "@" + row.get("ended_at"))) {
                Timer.builder("ragsync.freshness")
                        .tag("knowledge_base", String.valueOf(row.get("knowledge_base_id")))
                        .tag("source", String.valueOf(row.get("source")))
                        .description("Time from the change at the source to searchable in the target")
                        .serviceLevelObjectives(buckets)
                        .register(registry)
                        .record(Duration.ofMillis(Math.max(0, ((Number) row.get("freshness_ms")).longValue())));
                count++;
            }
        }
        return count;
    }

    /** The row of sql/ops/select-freshness-state.sql: {stale_documents, oldest_wait_seconds}. */
    public void updateStale(Map<String, Object> row) {
        staleDocuments.set(((Number) row.get("stale_documents")).longValue());
        oldestWaitSeconds.set(((Number) row.get("oldest_wait_seconds")).longValue());
    }

    public long staleDocuments() {
        return staleDocuments.get();
    }

    public long oldestWaitSeconds() {
        return oldestWaitSeconds.get();
    }

    public Duration threshold() {
        return threshold;
    }
}
