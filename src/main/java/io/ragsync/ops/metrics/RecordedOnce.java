package io.ragsync.ops.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The samples a metric has recorded, by key, for as long as its SQL may return them again: the refresh reads a
 * window of recently ended jobs every time, and each is recorded once.
 */
final class RecordedOnce {

    /** Longer than any SQL window of the refresh (10 minutes). */
    private static final long KEEP_MS = Duration.ofHours(1).toMillis();

    private final Map<Object, Long> seen = new ConcurrentHashMap<>();
    private volatile long prunedAt = System.currentTimeMillis();

    /** True the first time a key is offered; keys seen longer ago than an hour are forgotten, once a minute. */
    boolean first(Object key) {
        long now = System.currentTimeMillis();
        if (now - prunedAt > 60_000) {
            prunedAt = now;
            seen.values().removeIf(seenAt -> now - seenAt > KEEP_MS);
        }
        return seen.putIfAbsent(key, now) == null;
    }
}
