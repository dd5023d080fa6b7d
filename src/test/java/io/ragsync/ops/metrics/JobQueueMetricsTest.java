package io.ragsync.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JobQueueMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final JobQueueMetrics metrics = new JobQueueMetrics(registry);

    @Test
    void everyStatusHasAGaugeAndStatusesWithoutRowsGoBackToZero() {
        assertThat(registry.find("ragsync.jobs").gauges()).hasSize(JobQueueMetrics.STATUSES.size());
        metrics.updateJobCounts(List.of(Map.of("status", "indexed", "jobs", 7L), Map.of("status", "failed", "jobs", 2L)));
        assertThat(gauge("indexed")).isEqualTo(7);
        assertThat(gauge("failed")).isEqualTo(2);
        assertThat(gauge("queued")).isZero();

        metrics.updateJobCounts(List.of(Map.of("status", "indexed", "jobs", 8L), Map.of("status", "new_status", "jobs", 1)));
        assertThat(gauge("indexed")).isEqualTo(8);
        assertThat(gauge("failed")).isZero();
        assertThat(gauge("new_status")).isEqualTo(1);
    }

    @Test
    void queueGaugesTakeTheSqlRow() {
        metrics.updateQueue(Map.of("depth", 5L, "due", 3L, "oldest_age_seconds", new BigDecimal("42")));
        assertThat(registry.get("ragsync.queue.depth").gauge().value()).isEqualTo(5);
        assertThat(registry.get("ragsync.queue.due").gauge().value()).isEqualTo(3);
        assertThat(registry.get("ragsync.queue.oldest.age").gauge().value()).isEqualTo(42);
        assertThat(registry.get("ragsync.queue.oldest.age").gauge().getId().getBaseUnit()).isEqualTo("seconds");
    }

    @Test
    void eachParseWaitIsRecordedOnce() {
        List<Map<String, Object>> rows = List.of(Map.of("job_id", 1L, "outcome", "indexed", "wait_ms", 1500L),
                Map.of("job_id", 2L, "outcome", "failed", "wait_ms", 500L));
        assertThat(metrics.recordParseWaits(rows)).isEqualTo(2);
        assertThat(metrics.recordParseWaits(rows)).isZero();
        var indexed = registry.get("ragsync.ragflow.parse.wait").tag("outcome", "indexed").timer();
        assertThat(indexed.count()).isEqualTo(1);
        assertThat(indexed.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1500);
        assertThat(registry.get("ragsync.ragflow.parse.wait").tag("outcome", "failed").timer().count()).isEqualTo(1);
    }

    private double gauge(String status) {
        return registry.get("ragsync.jobs").tag("status", status).gauge().value();
    }
}
