package io.ragsync.sources.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
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

    /** After a batch (routes/sources/rest/rest-batch.camel.yaml): its outcome property says whether it failed. */
    public void batchEnded(Exchange exchange) {
        Long source = exchange.getProperty("sourceId", Long.class);
        String outcome = exchange.getProperty("outcome", String.class);
        if (source == null) {
            return;
        }
        boolean ok = "store".equals(outcome) || "not_modified".equals(outcome);
        gauge(inARow, source, "ragsync.rest.source.consecutive.failures", null,
                "Failed batches of the REST source in a row (0 after a good one)")
                .set(ok ? 0 : exchange.getProperty("consecutiveFailures", 1, Integer.class));
        if (ok) {
            return;
        }
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
