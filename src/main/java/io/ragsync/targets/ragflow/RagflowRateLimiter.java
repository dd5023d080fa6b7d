package io.ragsync.targets.ragflow;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Caps this instance's requests per second to RAGFlow (0 = no cap) with evenly spaced slots; Camel's throttle EIP
 * counts exchanges, and a job's exchange makes several RAGFlow calls.
 */
@Component("ragflowRateLimiter")
public class RagflowRateLimiter {

    private final long intervalNanos;
    private final LongSupplier clock;
    private long nextSlot;

    @Autowired
    public RagflowRateLimiter(@Value("${app.resilience.throttle.requests-per-second}") double requestsPerSecond) {
        this(requestsPerSecond, System::nanoTime);
    }

    RagflowRateLimiter(double requestsPerSecond, LongSupplier clock) {
        this.intervalNanos = requestsPerSecond <= 0 ? 0 : (long) (TimeUnit.SECONDS.toNanos(1) / requestsPerSecond);
        this.clock = clock;
        this.nextSlot = clock.getAsLong();
    }

    /** Waits for this request's slot. */
    public void acquire() {
        long wait = reserve();
        while (wait > 0) {
            long start = clock.getAsLong();
            LockSupport.parkNanos(wait);
            wait -= clock.getAsLong() - start;
        }
    }

    /** Takes the next slot and returns how many nanoseconds away it is (0 = now). */
    synchronized long reserve() {
        if (intervalNanos == 0) {
            return 0;
        }
        long now = clock.getAsLong();
        // an idle limiter banks no unused slots: no burst above the rate in any second
        long slot = Math.max(nextSlot, now);
        nextSlot = slot + intervalNanos;
        return Math.max(0, slot - now);
    }
}
