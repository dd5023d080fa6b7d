package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-request rate cap towards RAGFlow. */
class RagflowRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void requestsBeyondTheRateWaitForEvenlySpacedSlots() {
        AtomicLong now = new AtomicLong(100 * SECOND);
        RagflowRateLimiter limiter = new RagflowRateLimiter(10, now::get);
        // evenly spaced: one slot every 100 ms, no burst after an idle time either
        assertThat(limiter.reserve()).isZero();
        assertThat(limiter.reserve()).isEqualTo(SECOND / 10);
        assertThat(limiter.reserve()).isEqualTo(2 * SECOND / 10);
        now.addAndGet(10 * SECOND);
        assertThat(limiter.reserve()).isZero();
        assertThat(limiter.reserve()).isEqualTo(SECOND / 10);
    }

    @Test
    void zeroMeansNoCap() {
        RagflowRateLimiter limiter = new RagflowRateLimiter(0, () -> 0L);
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.reserve()).isZero();
        }
    }
}
