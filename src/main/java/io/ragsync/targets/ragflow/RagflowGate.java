package io.ragsync.targets.ragflow;

import java.time.Clock;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Stops the request storm of a rejected API key: jobs stay queued while the poller probes the key until accepted. */
@Component("ragflowGate")
public class RagflowGate {

    private static final Logger LOG = LoggerFactory.getLogger(RagflowGate.class);

    private final long probeIntervalMs;
    private final Clock clock;
    private volatile Instant closedAt;
    private volatile Instant lastProbe;
    private volatile String reason = "";

    @org.springframework.beans.factory.annotation.Autowired
    public RagflowGate(@Value("${app.ragflow.auth-probe-interval-ms}") long probeIntervalMs) {
        this(probeIntervalMs, Clock.systemUTC());
    }

    RagflowGate(long probeIntervalMs, Clock clock) {
        this.probeIntervalMs = probeIntervalMs;
        this.clock = clock;
    }

    public boolean allowsRequests() {
        return closedAt == null;
    }

    public String reason() {
        return allowsRequests() ? "open" : reason;
    }

    /** Closes the gate with the exception caught on the exchange (the rejected request). */
    public void close(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        pause(cause == null ? "RAGFlow configuration error" : cause.getMessage());
    }

    public synchronized void pause(String why) {
        if (closedAt == null) {
            closedAt = clock.instant();
            lastProbe = closedAt;
            reason = why;
            LOG.error("RAGFlow target paused: {}. Fix RAGFLOW_API_KEY / RAGFLOW_BASE_URL; jobs stay queued, the key is"
                    + " probed every {} ms, and jobs already marked config_error resume when requeued"
                    + " (POST /api/jobs/requeue).", why, probeIntervalMs);
        }
    }

    /** True once per probe interval while the gate is closed: the caller then probes RAGFlow. */
    public synchronized boolean probeDue() {
        if (closedAt == null) {
            return false;
        }
        Instant now = clock.instant();
        boolean due = lastProbe == null || now.toEpochMilli() - lastProbe.toEpochMilli() >= probeIntervalMs;
        lastProbe = due ? now : lastProbe;
        return due;
    }

    public synchronized void reopen() {
        if (closedAt != null) {
            LOG.info("RAGFlow accepts the API key again: resuming RAGFlow jobs (paused since {})", closedAt);
        }
        closedAt = null;
        lastProbe = null;
        reason = "";
    }
}
