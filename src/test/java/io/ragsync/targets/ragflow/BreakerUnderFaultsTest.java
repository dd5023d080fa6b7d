package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.IsolatedHubTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The RAGFlow circuit breaker with the shipped thresholds (application.yaml app.resilience.breaker.*): a RAGFlow
 * that fails a third of its requests at random is absorbed by retries and never opens it; a RAGFlow that is down
 * opens it, and jobs wait without using their retries.
 */
class BreakerUnderFaultsTest extends IsolatedHubTest {

    private static final int DOCUMENTS = 150;

    @DynamicPropertySource
    static void breakerProperties(DynamicPropertyRegistry registry) {
        Map<String, String> props = new HashMap<>(isolatedProperties("ragsync_breaker", "breaker-1", Map.of(
                // only how long it stays open is shortened, so the outage test ends quickly
                "app.resilience.breaker.open-seconds", "2")));
        // the shipped thresholds, not the shared tests' never-opening ones
        props.remove("app.resilience.breaker.sliding-window-size");
        props.remove("app.resilience.breaker.minimum-calls");
        props.remove("app.resilience.breaker.failure-rate-percent");
        // and the shipped number of attempts, which a dead RAGFlow must not use up before the breaker opens
        props.remove("app.jobs.retry.max-attempts");
        register(registry, props);
    }

    private int breakerDeferrals() {
        return jdbc.queryForObject("SELECT count(*) FROM sync_job_log WHERE event = 'deferred'"
                + " AND message LIKE 'RAGFlow is failing: its circuit breaker is open%'", Integer.class);
    }

    private void corpus(String prefix) {
        long kb = knowledgeBase(prefix);
        for (int i = 0; i < DOCUMENTS; i++) {
            documentWithFile(kb, "Doc " + i, prefix + "/doc" + i + ".txt", prefix + " document " + i);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aThirdOfRequestsFailingAtRandomIsRetriedWithoutOpeningTheBreaker() {
        STUB.faults().randomFaults(0.3, 7);
        corpus("flaky");
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM sync_job WHERE status NOT IN ('indexed', 'failed', 'config_error')", Integer.class) == 0);
        int injected = STUB.faults().injected();
        STUB.faults().clear();

        String diagnostics = "jobs: " + jdbc.queryForList("SELECT document_id, status, retry_count, left(last_error, 100)"
                + " AS error FROM sync_job WHERE status <> 'indexed' ORDER BY document_id");
        assertThat(injected).as("faults injected").isGreaterThan(DOCUMENTS);
        assertThat(breakerDeferrals()).as("jobs kept back by an open breaker").isZero();
        assertThat(jdbc.queryForList("SELECT DISTINCT status FROM sync_job", String.class)).as(diagnostics)
                .containsExactly("indexed");
        // every document reached RAGFlow exactly once, tagged, with its content
        Map<Object, Long> copies = STUB.allDocuments().stream().collect(Collectors.groupingBy(
                d -> String.valueOf(((Map<String, Object>) d.get("meta_fields")).get("external_id")), Collectors.counting()));
        assertThat(copies).hasSize(DOCUMENTS).allSatisfy((id, n) -> assertThat(n).as("copies of %s", id).isEqualTo(1L));
        assertThat(STUB.allDocuments()).extracting(d -> STUB.content((String) d.get("id")))
                .allMatch(c -> c.startsWith("flaky document "));
    }

    @Test
    void aRagflowThatIsDownOpensTheBreaker() {
        STUB.faults().outage(503);
        corpus("down");
        eventually(() -> breakerDeferrals() >= DOCUMENTS);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE status IN ('failed', 'config_error')",
                Integer.class)).isZero();

        STUB.faults().clear();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM sync_job WHERE status = 'indexed'", Integer.class) == DOCUMENTS);
        assertThat(STUB.allDocuments()).hasSize(DOCUMENTS);
    }
}
