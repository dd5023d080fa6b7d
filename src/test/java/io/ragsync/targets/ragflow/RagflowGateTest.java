package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RagflowGateTest {

    @Test
    void closedGateAllowsOneProbePerInterval() {
        AtomicLong now = new AtomicLong(1_000_000);
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return Instant.ofEpochMilli(now.get()); }
        };
        RagflowGate gate = new RagflowGate(60_000, clock);
        assertThat(gate.allowsRequests()).isTrue();
        assertThat(gate.probeDue()).isFalse();

        gate.pause("RAGFlow rejected the API key (HTTP 401)");
        assertThat(gate.allowsRequests()).isFalse();
        assertThat(gate.reason()).contains("401");
        assertThat(gate.probeDue()).isFalse();
        now.addAndGet(60_000);
        assertThat(gate.probeDue()).isTrue();
        assertThat(gate.probeDue()).isFalse();

        gate.reopen();
        assertThat(gate.allowsRequests()).isTrue();
        assertThat(gate.reason()).isEqualTo("open");
    }
}
