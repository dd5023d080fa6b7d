package io.ragsync.ops.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Keys of recorded samples: the refresh reads a window of recently ended jobs again each time. */
final class RecordedOnce {

    /** Longer than any SQL window of the refresh (10 minutes). */
    private static final long KEEP_MS = Duration.ofHours(1).toMillis();

    private final Map<Object, Long> seen = new ConcurrentHashMap<>();
    private volatile long prunedAt = System.currentTimeMillis();

    /** True the first time a key is offered; old keys are forgotten once a minute. */
    boolean first(Object key) {
        long now = System.currentTimeMillis();
        if (now - prunedAt > 60_000) {
            prunedAt = now;
            seen.values().removeIf(seenAt -> now - seenAt > KEEP_MS);
        }
        return seen.putIfAbsent(key, now) == null;
    }
}
