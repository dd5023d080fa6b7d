package io.ragsync.sources.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/** Failures of this instance's REST source batches, tagged per source (few sources); /ops shows the shared state. */
@Component("restSourceMetrics")
public class RestSourceMetrics {

    private final MeterRegistry registry;
    private final Map<Long, AtomicLong> inARow = new ConcurrentHashMap<>();
    private final Map<Long, AtomicLong> lastFailure = new ConcurrentHashMap<>();

    public RestSourceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** After a batch (routes/sources/rest/rest-batch.camel.yaml): its variable batch says whether it failed. */
    public void batchEnded(@Variable("batch") RestBatch batch) {
        if (batch == null || batch.source().sourceId() == null) {
            return;
        }
        long source = batch.source().sourceId();
        boolean ok = batch.ok();
        gauge(inARow, source, "ragsync.rest.source.consecutive.failures", null,
                "Failed batches of the REST source in a row (0 after a good one)")
                .set(ok ? 0 : batch.failure() == null ? 1 : batch.failure().inARow());
        if (ok) {
            return;
        }
        String outcome = batch.failure() == null ? null : batch.failure().status();
        Counter.builder("ragsync.rest.source.failures").tag("source", String.valueOf(source))
                .tag("status", outcome == null ? "error" : outcome)
                .description("Failed batches of the REST source").register(registry).increment();
        gauge(lastFailure, source, "ragsync.rest.source.last.failure.timestamp", "seconds",
                "When the REST source's last batch failed (epoch seconds)").set(System.currentTimeMillis() / 1000);
    }

    private AtomicLong gauge(Map<Long, AtomicLong> values, long source, String name, String unit, String description) {
        return values.computeIfAbsent(source, s -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).tag("source", String.valueOf(s)).baseUnit(unit)
                    .description(description).register(registry);
            return value;
        });
    }
}
