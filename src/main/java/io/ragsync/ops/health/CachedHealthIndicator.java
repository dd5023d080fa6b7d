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
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** A probe whose answer is reused for cacheFor (spares the dependency) and is DOWN after timeout (one probe runs). */
@EnableConfigurationProperties(CachedHealthIndicator.Settings.class)
public abstract class CachedHealthIndicator implements HealthIndicator {

    /** A dependency that answers but refuses our configuration (wrong key, wrong URL): fix config, not wait. */
    public static final Status CONFIG_ERROR = new Status("CONFIG_ERROR",
            "the dependency answers but rejects RAGSync's configuration");

    /** {@code app.ops.health.*}: how long an answer is reused, and how long a probe may take. */
    @ConfigurationProperties("app.ops.health")
    public record Settings(@DefaultValue("5000") long cacheMs, @DefaultValue("5000") long timeoutMs) {
    }

    private final Duration cacheFor;
    private final Duration timeout;
    private final Clock clock;
    private volatile Health last;
    private volatile Instant lastAt = Instant.MIN;
    private CompletableFuture<Health> inFlight;

    protected CachedHealthIndicator(Settings settings) {
        this(Duration.ofMillis(settings.cacheMs()), Duration.ofMillis(settings.timeoutMs()), Clock.systemUTC());
    }

    protected CachedHealthIndicator(Duration cacheFor, Duration timeout, Clock clock) {
        this.cacheFor = cacheFor;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** May throw: the result is then DOWN with the exception. */
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
