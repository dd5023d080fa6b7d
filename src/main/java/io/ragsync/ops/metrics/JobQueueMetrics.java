package io.ragsync.ops.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Job queue gauges and the RAGFlow parse-wait timer, fed by routes/ops/ops-metrics.camel.yaml. The gauges describe
 * the shared database, so every instance reports the same values: aggregate with max().
 */
@Component("jobQueueMetrics")
public class JobQueueMetrics {

    static final List<String> STATUSES = List.of("queued", "processing", "indexed", "truncated", "deleted", "failed",
            "download_failed", "config_error", "superseded");

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> jobsByStatus = new ConcurrentHashMap<>();
    private final AtomicLong depth;
    private final AtomicLong due;
    private final AtomicLong oldestAgeSeconds;
    private final AtomicLong truncatedDocuments;
    private final AtomicLong ragflowParsing;
    private final AtomicLong ragflowHoldingBack;
    /** job ids whose parse wait was recorded. */
    private final RecordedOnce recordedParseWaits = new RecordedOnce();

    public JobQueueMetrics(MeterRegistry registry) {
        this.registry = registry;
        STATUSES.forEach(this::statusGauge);
        depth = gauge("ragsync.queue.depth", "Jobs waiting in the queue (status queued, due or waiting for a retry)",
                null);
        due = gauge("ragsync.queue.due", "Queued jobs that are due now", null);
        oldestAgeSeconds = gauge("ragsync.queue.oldest.age", "Age of the oldest queued job", "seconds");
        truncatedDocuments = gauge("ragsync.documents.truncated", "Documents a target holds only in part (over the"
                + " chunk cap): not all their text is searchable", null);
        ragflowParsing = gauge("ragsync.ragflow.parsing", "Our documents parsing in RAGFlow now", null);
        ragflowHoldingBack = gauge("ragsync.ragflow.holding.back", "1 while uploads to RAGFlow wait for it to catch up"
                + " (RAGFLOW_MAX_PARSING, RAGFLOW_PARSE_BACKLOG_SECONDS)", null);
    }

    private AtomicLong gauge(String name, String description, String baseUnit) {
        AtomicLong value = new AtomicLong();
        Gauge.builder(name, value, AtomicLong::get).description(description).baseUnit(baseUnit).register(registry);
        return value;
    }

    /** The row of sql/ops/select-ragflow-backpressure.sql: {parsing, oldest_parse_seconds, holding_back, reason}. */
    public void updateBackpressure(Map<String, Object> row) {
        ragflowParsing.set(number(row.get("parsing")));
        ragflowHoldingBack.set(Boolean.TRUE.equals(row.get("holding_back")) ? 1 : 0);
    }

    /** The count of sql/ops/select-truncated-documents.sql (a one-column SelectOne is the value itself). */
    public void updateTruncatedDocuments(Number documents) {
        truncatedDocuments.set(number(documents));
    }

    private AtomicLong statusGauge(String status) {
        return jobsByStatus.computeIfAbsent(status, s -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("ragsync.jobs", value, AtomicLong::get).tag("status", s)
                    .description("Jobs in the queue table by status").register(registry);
            return value;
        });
    }

    /** Rows of sql/ops/select-job-counts.sql: {status, jobs}. A status without rows is 0. */
    public void updateJobCounts(List<Map<String, Object>> rows) {
        Map<String, Long> counts = rows.stream().collect(Collectors.toMap(r -> String.valueOf(r.get("status")),
                r -> number(r.get("jobs")), (first, last) -> last));
        counts.keySet().forEach(this::statusGauge);
        jobsByStatus.forEach((status, value) -> value.set(counts.getOrDefault(status, 0L)));
    }

    /** The row of sql/ops/select-queue-state.sql: {depth, due, oldest_age_seconds}. */
    public void updateQueue(Map<String, Object> row) {
        depth.set(number(row.get("depth")));
        due.set(number(row.get("due")));
        oldestAgeSeconds.set(number(row.get("oldest_age_seconds")));
    }

    /** Rows of sql/ops/select-parse-waits.sql: {job_id, outcome, wait_ms}; each job is recorded once. */
    public int recordParseWaits(List<Map<String, Object>> rows) {
        int recorded = 0;
        for (Map<String, Object> row : rows) {
            long jobId = number(row.get("job_id"));
            if (recordedParseWaits.first(jobId)) {
                Timer.builder("ragsync.ragflow.parse.wait").tag("outcome", String.valueOf(row.get("outcome")))
                        .description("Time RAGFlow took to parse a document, from parse start to the job's end")
                        .register(registry).record(Duration.ofMillis(Math.max(0, number(row.get("wait_ms")))));
                recorded++;
            }
        }
        return recorded;
    }

    private static long number(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        return value == null ? 0 : Math.round(Double.parseDouble(value.toString()));
    }
}
