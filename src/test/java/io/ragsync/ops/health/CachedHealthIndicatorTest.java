package io.ragsync.ops.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class CachedHealthIndicatorTest {

    private final MutableClock clock = new MutableClock();

    @Test
    void answersAreReusedForTheCacheTimeThenProbedAgain() {
        AtomicInteger probes = new AtomicInteger();
        CachedHealthIndicator indicator = indicator(Duration.ofSeconds(5), Duration.ofSeconds(5), b -> {
            probes.incrementAndGet();
            b.up();
        });
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        assertThat(indicator.health().getDetails()).containsKey("probeMs");
        assertThat(probes).hasValue(1);
        clock.advance(Duration.ofSeconds(6));
        indicator.health();
        assertThat(probes).hasValue(2);
    }

    @Test
    void settingsBindTheApplicationYamlNamesWithTheirDefaults() {
        assertThat(new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("app.ops.health", CachedHealthIndicator.Settings.class))
                .isEqualTo(new CachedHealthIndicator.Settings(5000, 5000));
        Binder set = new Binder(new MapConfigurationPropertySource(Map.of("app.ops.health.cache-ms", "7",
                "app.ops.health.timeout-ms", "9")));
        assertThat(set.bindOrCreate("app.ops.health", CachedHealthIndicator.Settings.class))
                .isEqualTo(new CachedHealthIndicator.Settings(7, 9));
    }

    @Test
    void anExceptionIsDownWithItsMessage() {
        CachedHealthIndicator indicator = indicator(Duration.ZERO, Duration.ofSeconds(5), b -> {
            throw new IllegalStateException("disk gone");
        });
        Health health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("error")).isEqualTo("IllegalStateException: disk gone");
    }

    @Test
    void aProbeThatHangsIsDownAfterTheTimeoutAndIsNotStartedTwice() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger probes = new AtomicInteger();
        CachedHealthIndicator indicator = indicator(Duration.ZERO, Duration.ofMillis(100), b -> {
            probes.incrementAndGet();
            release.await(10, TimeUnit.SECONDS);
            b.up();
        });
        Health first = indicator.health();
        assertThat(first.getStatus()).isEqualTo(Status.DOWN);
        assertThat(first.getDetails().get("error")).isEqualTo("no answer within 100 ms");
        indicator.health();
        assertThat(probes).hasValue(1);
        release.countDown();
    }

    @Test
    void configErrorIsItsOwnStatus() {
        CachedHealthIndicator indicator = indicator(Duration.ZERO, Duration.ofSeconds(1),
                b -> b.status(CachedHealthIndicator.CONFIG_ERROR));
        assertThat(indicator.health().getStatus().getCode()).isEqualTo("CONFIG_ERROR");
    }

    interface Probe {
        void probe(Health.Builder builder) throws Exception;
    }

    private CachedHealthIndicator indicator(Duration cache, Duration timeout, Probe probe) {
        return new CachedHealthIndicator(cache, timeout, clock) {
            @Override
            protected void probe(Health.Builder builder) throws Exception {
                probe.probe(builder);
            }
        };
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
