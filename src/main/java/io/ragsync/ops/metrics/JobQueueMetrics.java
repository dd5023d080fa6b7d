package io.ragsync.ops.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Domain metrics read from the job queue by routes/ops/ops-metrics.camel.yaml (the SQL lives in sql/ops/):
 * <ul>
 *   <li>{@code ragsync.jobs{status}} – jobs per status (gauge, every status of the queue, 0 when none);</li>
 *   <li>{@code ragsync.queue.depth} / {@code ragsync.queue.due} – queued jobs, and those of them due now;</li>
 *   <li>{@code ragsync.queue.oldest.age} – seconds since the oldest queued job was created (0 when empty);</li>
 *   <li>{@code ragsync.documents.truncated} – documents a target holds only in part now (status truncated);</li>
 *   <li>{@code ragsync.ragflow.parsing} / {@code ragsync.ragflow.holding.back} – our documents parsing in RAGFlow, and
 *       1 while uploads are held back (too many parsing, or RAGFlow's queue falling behind);</li>
 *   <li>{@code ragsync.ragflow.parse.wait{outcome}} – timer: from "parse started" to the job's end, for the
 *       jobs this instance ran (each job is recorded once, by the instance that claimed it).</li>
 * </ul>
 * The gauges describe the shared database, so every instance reports the same values: aggregate with max().
 */
@Component("jobQueueMetrics")
public class JobQueueMetrics {

    static final List<String> STATUSES = List.of("queued", "processing", "indexed", "truncated", "deleted", "failed",
            "download_failed", "config_error", "superseded");

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> jobsByStatus = new ConcurrentHashMap<>();
    private final AtomicLong depth = new AtomicLong();
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();
    private final AtomicLong truncatedDocuments = new AtomicLong();
    private final AtomicLong ragflowParsing = new AtomicLong();
    private final AtomicLong ragflowHoldingBack = new AtomicLong();
    /** job ids whose parse wait was recorded. */
    private final RecordedOnce recordedParseWaits = new RecordedOnce();

    public JobQueueMetrics(MeterRegistry registry) {
        this.registry = registry;
        STATUSES.forEach(this::statusGauge);
        Gauge.builder("ragsync.queue.depth", depth, AtomicLong::get)
                .description("Jobs waiting in the queue (status queued, due or waiting for a retry)").register(registry);
        Gauge.builder("ragsync.queue.due", due, AtomicLong::get)
                .description("Queued jobs that are due now").register(registry);
        Gauge.builder("ragsync.queue.oldest.age", oldestAgeSeconds, AtomicLong::get).baseUnit("seconds")
                .description("Age of the oldest queued job").register(registry);
        Gauge.builder("ragsync.documents.truncated", truncatedDocuments, AtomicLong::get)
                .description("Documents a target holds only in part (over the chunk cap): not all their text is"
                        + " searchable").register(registry);
        Gauge.builder("ragsync.ragflow.parsing", ragflowParsing, AtomicLong::get)
                .description("Our documents parsing in RAGFlow now").register(registry);
        Gauge.builder("ragsync.ragflow.holding.back", ragflowHoldingBack, AtomicLong::get)
                .description("1 while uploads to RAGFlow wait for it to catch up (RAGFLOW_MAX_PARSING,"
                        + " RAGFLOW_PARSE_BACKLOG_SECONDS)").register(registry);
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
        Set<String> seen = new java.util.HashSet<>();
        for (Map<String, Object> row : rows) {
            String status = String.valueOf(row.get("status"));
            statusGauge(status).set(number(row.get("jobs")));
            seen.add(status);
        }
        jobsByStatus.forEach((status, value) -> {
            if (!seen.contains(status)) {
                value.set(0);
            }
        });
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
