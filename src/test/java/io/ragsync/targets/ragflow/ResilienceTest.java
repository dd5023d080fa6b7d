package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.ragsync.ops.health.RagflowHealthIndicator;
import io.ragsync.support.IsolatedHubTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The RAGFlow target's resilience (routes/targets/ragflow/ragflow-client.camel.yaml) with production-like breaker
 * thresholds, on its own database: an outage opens the circuit breaker and jobs wait without using their
 * retries, Retry-After defers without counting an attempt, uploads and requests per second are capped.
 */
class ResilienceTest extends IsolatedHubTest {

    @Autowired
    RagflowHealthIndicator ragflowHealth;

    @DynamicPropertySource
    static void resilienceProperties(DynamicPropertyRegistry registry) {
        register(registry, isolatedProperties("ragsync_resilience", "resilience-1", Map.of(
                "app.resilience.breaker.sliding-window-size", "10",
                "app.resilience.breaker.minimum-calls", "5",
                "app.resilience.breaker.failure-rate-percent", "50",
                "app.resilience.breaker.open-seconds", "1",
                "app.resilience.breaker.half-open-calls", "2",
                "app.resilience.throttle.concurrent-uploads", "2",
                "app.resilience.throttle.requests-per-second", "20")));
    }

    @Test
    void anOutageOpensTheBreakerAndJobsWaitWithoutUsingTheirRetries() {
        STUB.faults().outage(503);
        long kb = knowledgeBase("Outage");
        for (int i = 0; i < 8; i++) {
            documentWithFile(kb, "Doc " + i, "outage/doc" + i + ".txt", "content " + i);
        }
        // each deferral says what opened the breaker
        eventually(() -> jdbc.queryForObject("SELECT count(DISTINCT job_id) FROM sync_job_log WHERE event = 'deferred'"
                + " AND message LIKE 'RAGFlow is failing: its circuit breaker is open (% calls failed, the last:"
                + " RAGFlow answered HTTP 503)%'", Integer.class) == 8);
        // and so does the health of RAGFlow, probed through the same breaker
        eventually(() -> String.valueOf(ragflowHealth.health().getDetails().get("error"))
                .matches("RAGFlow is failing: its circuit breaker is open \\(.* calls failed, the last: .*\\)"));
        // a retrieval meanwhile is answered 503 with the same reason (a knowledge base mapped to a dataset, no jobs)
        long asked = knowledgeBase("Asked");
        jdbc.update("INSERT INTO kb_dataset (knowledge_base_id, ragflow_dataset_id, dataset_name) VALUES (?, ?, ?)",
                asked, "asked-dataset", "Asked");
        eventually(() -> {
            HttpResponse<String> answer = httpPost("/api/retrieval",
                    "{\"question\": \"what failed?\", \"knowledge_base_ids\": [" + asked + "]}");
            return answer.statusCode() == 503 && answer.body().contains(
                    "RAGFlow is not reachable: RAGFlow is failing: its circuit breaker is open (");
        });
        int requestsDuringOutage = STUB.requestCount();
        // the outage lasts on: deferred jobs come back, are refused by the open breaker, and wait again
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM sync_job_log WHERE event = 'deferred'", Integer.class) >= 24);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE status IN ('failed', 'config_error')",
                Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT max(retry_count) FROM sync_job", Integer.class)).isLessThanOrEqualTo(1);
        // half-open probes only: nowhere near 8 jobs x 3 redeliveries per wait
        assertThat(STUB.requestCount() - requestsDuringOutage).isLessThan(20);

        STUB.faults().clear();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM sync_job WHERE status = 'indexed'", Integer.class) == 8);
        assertThat(STUB.documents(datasetOf(kb))).hasSize(8);
        assertThat(STUB.datasets()).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document_sync WHERE status = 'indexed'", Integer.class))
                .isEqualTo(8);
    }

    @Test
    void retryAfterDefersTheJobWithoutCountingAnAttempt() {
        STUB.faults().rateLimit(1, 2);
        long kb = knowledgeBase("Busy");
        long doc = documentWithFile(kb, "Busy", "busy/a.txt", "busy server");

        Map<String, Object> job = awaitJob(doc, "indexed", "failed");
        assertThat(job.get("status")).isEqualTo("indexed");
        assertThat(job.get("retry_count")).isEqualTo(0);
        List<Map<String, Object>> deferred = jdbc.queryForList(
                "SELECT message FROM sync_job_log WHERE job_id = ? AND event = 'deferred'", job.get("id"));
        assertThat(deferred).singleElement().satisfies(row -> assertThat((String) row.get("message"))
                .contains("HTTP 429 with Retry-After 2 s").contains("deferred 2 s without counting an attempt"));
        // no in-place redelivery of a 429: the next request came after the wait
        List<ServeEvent> events = STUB.wireMock().getAllServeEvents();
        ServeEvent first = events.get(events.size() - 1);
        ServeEvent second = events.get(events.size() - 2);
        assertThat(first.getResponse().getStatus()).isEqualTo(429);
        assertThat(second.getRequest().getLoggedDate().getTime() - first.getRequest().getLoggedDate().getTime())
                .isGreaterThanOrEqualTo(1900);
    }

    @Test
    void uploadsRunAtMostTwoAtATimeAndRequestsStayUnderTheRate() {
        STUB.faults().uploadDelay(300);
        long kb = knowledgeBase("Capped");
        documentWithFile(kb, "First", "capped/first.txt", "first");
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM kb_dataset", Integer.class) == 1);
        for (int i = 0; i < 8; i++) {
            documentWithFile(kb, "Doc " + i, "capped/doc" + i + ".txt", "capped " + i);
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM sync_job WHERE status = 'indexed'", Integer.class) == 9);

        assertThat(STUB.faults().maxConcurrentUploads()).isEqualTo(2);
        List<Long> times = STUB.wireMock().getAllServeEvents().stream()
                .map(e -> e.getRequest().getLoggedDate().getTime()).sorted().toList();
        assertThat(times.size()).isGreaterThan(30);
        int busiestSecond = 0;
        for (int i = 0; i < times.size(); i++) {
            int j = i;
            while (j < times.size() && times.get(j) - times.get(i) < 1000) {
                j++;
            }
            busiestSecond = Math.max(busiestSecond, j - i);
        }
        assertThat(busiestSecond).as("requests in the busiest second").isLessThanOrEqualTo(21);
    }
}
