package io.ragsync.ops.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * Base of RAGSync's health indicators: a subclass only says how to probe its dependency
 * ({@link #probe(Health.Builder)}); this class keeps the last answer for {@code cacheFor} (so a busy health
 * endpoint does not hammer the dependency), times the probe and turns an unexpected exception into DOWN with
 * the exception's message; a probe that does not answer within {@code timeout} is DOWN (it may go on in the
 * background, and no second probe starts while it does). Adding an indicator is one {@code @Component("name")} class extending this one; its
 * name is the key under {@code /actuator/health/components}.
 */
public abstract class CachedHealthIndicator implements HealthIndicator {

    /** A dependency that answers but refuses our configuration (wrong key, wrong URL): fix config, not wait. */
    public static final Status CONFIG_ERROR = new Status("CONFIG_ERROR",
            "the dependency answers but rejects RAGSync's configuration");

    private final Duration cacheFor;
    private final Duration timeout;
    private final Clock clock;
    private volatile Health last;
    private volatile Instant lastAt = Instant.MIN;
    private CompletableFuture<Health> inFlight;

    protected CachedHealthIndicator(Duration cacheFor, Duration timeout) {
        this(cacheFor, timeout, Clock.systemUTC());
    }

    protected CachedHealthIndicator(Duration cacheFor, Duration timeout, Clock clock) {
        this.cacheFor = cacheFor;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Probes the dependency and fills in status and details; may throw (then the result is DOWN). */
    protected abstract void probe(Health.Builder builder) throws Exception;

    @Override
    public Health health() {
        Instant now = clock.instant();
        Health cached = last;
        if (cached != null && now.isBefore(lastAt.plus(cacheFor))) {
            return cached;
        }
        CompletableFuture<Health> running;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = CompletableFuture.supplyAsync(this::probeNow, runnable -> {
                    Thread thread = new Thread(runnable, "health-" + getClass().getSimpleName());
                    thread.setDaemon(true);
                    thread.start();
                });
            }
            running = inFlight;
        }
        Health fresh;
        try {
            fresh = running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fresh = Health.down().withDetail("error", "no answer within " + timeout.toMillis() + " ms").build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fresh = Health.unknown().withDetail("error", "interrupted").build();
        } catch (ExecutionException e) {
            fresh = Health.down().withDetail("error", String.valueOf(e.getCause())).build();
        }
        last = fresh;
        lastAt = now;
        return fresh;
    }

    private Health probeNow() {
        long started = System.nanoTime();
        Health.Builder builder = Health.unknown();
        try {
            probe(builder);
        } catch (Exception e) {
            builder.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return builder.withDetail("probeMs", (System.nanoTime() - started) / 1_000_000).build();
    }
}
