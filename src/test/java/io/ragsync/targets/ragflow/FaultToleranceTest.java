package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.ChildHub;
import io.ragsync.support.IsolatedHubTest;
import io.ragsync.support.RagflowStub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Faults on every side, then convergence: once the faults stop, RAGFlow holds exactly one copy of each current
 * document with its current content, deleted documents are gone, and every job and document status is
 * terminal and true. The hub runs on its own database with production-like breaker settings, short HTTP
 * timeouts and short leases. A rotated key resumes the paused target through the gate probe
 * (routes/targets/ragflow/ragflow-probes.camel.yaml).
 */
class FaultToleranceTest extends IsolatedHubTest {

    private static final String DATABASE = "ragsync_faults";

    @DynamicPropertySource
    static void faultProperties(DynamicPropertyRegistry registry) {
        register(registry, isolatedProperties(DATABASE, "faults-1", overrides()));
    }

    static Map<String, String> overrides() {
        Map<String, String> o = new HashMap<>();
        o.put("app.resilience.breaker.sliding-window-size", "20");
        o.put("app.resilience.breaker.minimum-calls", "10");
        o.put("app.resilience.breaker.failure-rate-percent", "80");
        o.put("app.resilience.breaker.open-seconds", "1");
        o.put("app.jobs.retry.max-attempts", "20");
        o.put("app.jobs.parallelism", "4");
        o.put("app.jobs.batch-size", "10");
        o.put("app.jobs.lease-seconds", "4");
        o.put("app.ragflow.auth-probe-interval-ms", "300");
        o.put("camel.component.http.response-timeout", "1500");
        o.put("camel.component.http.so-timeout", "1500");
        return o;
    }

    /** Creates n documents in two knowledge bases; returns their ids. */
    private List<Long> corpus(String prefix, int n) {
        long kbA = knowledgeBase(prefix + " A");
        long kbB = knowledgeBase(prefix + " B");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(documentWithFile(i % 2 == 0 ? kbA : kbB, "Doc " + i, prefix + "/doc" + i + ".txt",
                    prefix + " document " + i + " version 1"));
        }
        return ids;
    }

    /** Updates every third document's content (in place + explicit sync) and deletes every fifth. */
    private void churn(String prefix, List<Long> ids) throws Exception {
        for (int i = 0; i < ids.size(); i++) {
            if (i % 5 == 4) {
                jdbc.update("DELETE FROM document WHERE id = ?", ids.get(i));
            } else if (i % 3 == 0) {
                writeFile(prefix + "/doc" + i + ".txt", prefix + " document " + i + " version 2");
                jdbc.queryForObject("SELECT ragsync_enqueue(?, knowledge_base_id, 'upsert', 'test') FROM document WHERE id = ?",
                        Long.class, ids.get(i), ids.get(i));
            }
        }
    }

    /** Waits until nothing is pending, then checks RAGFlow and the statuses against the backend. */
    @SuppressWarnings("unchecked")
    private void assertConverged() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM sync_job WHERE status IN ('queued', 'processing')", Integer.class) == 0);
        List<Map<String, Object>> current = jdbc.queryForList(
                "SELECT d.id, d.file_path, m.ragflow_dataset_id FROM document d"
                        + " JOIN kb_dataset m ON m.knowledge_base_id = d.knowledge_base_id");
        assertThat(current).hasSize(jdbc.queryForObject("SELECT count(*) FROM document", Integer.class));
        List<Map<String, Object>> held = STUB.allDocuments();
        Map<Object, List<Map<String, Object>>> byExternalId = held.stream().collect(Collectors.groupingBy(
                d -> String.valueOf(((Map<String, Object>) d.get("meta_fields")).get("external_id"))));
        String diagnostics = "jobs: " + jdbc.queryForList("SELECT j.document_id, j.status, j.op, j.retry_count, j.source,"
                + " left(j.last_error, 120) AS error FROM sync_job j ORDER BY j.document_id, j.id") + "\nsync: "
                + jdbc.queryForList("SELECT document_id, status, ragflow_document_id, ragflow_document_name, upload_pending,"
                + " left(last_error, 120) AS error FROM document_sync ORDER BY document_id") + "\nragflow: "
                + held.stream().map(d -> d.get("id") + " " + d.get("name") + " " + d.get("meta_fields")).toList();
        assertThat(byExternalId.keySet()).as("RAGFlow holds exactly the current documents, all tagged\n%s", diagnostics)
                .containsExactlyInAnyOrderElementsOf(current.stream().map(r -> String.valueOf(r.get("id"))).toList());
        for (Map<String, Object> doc : current) {
            List<Map<String, Object>> copies = byExternalId.get(String.valueOf(doc.get("id")));
            assertThat(copies).as("copies of document %s", doc.get("id")).hasSize(1);
            Map<String, Object> copy = copies.get(0);
            assertThat(copy.get("dataset_id")).isEqualTo(doc.get("ragflow_dataset_id"));
            assertThat(STUB.content((String) copy.get("id"))).as("content of document %s", doc.get("id"))
                    .isEqualTo(Files.readString(ROOT.resolve((String) doc.get("file_path")), StandardCharsets.UTF_8));
            assertThat(copy.get("run")).isEqualTo("DONE");
        }
        assertThat(jdbc.queryForList("SELECT DISTINCT s.status FROM document_sync s JOIN document d ON d.id = s.document_id",
                String.class)).containsExactly("indexed");
        assertThat(jdbc.queryForList("SELECT DISTINCT s.status FROM document_sync s"
                + " WHERE NOT EXISTS (SELECT 1 FROM document d WHERE d.id = s.document_id)", String.class))
                .allMatch("deleted"::equals);
        // every job ended; each document's latest job says what RAGFlow holds (older ones are history)
        assertThat(jdbc.queryForList("SELECT DISTINCT status FROM sync_job", String.class))
                .doesNotContain("queued", "processing");
        assertThat(jdbc.queryForList("SELECT DISTINCT ON (document_id) status FROM sync_job"
                + " ORDER BY document_id, id DESC", String.class)).isSubsetOf("indexed", "deleted");
    }

    @Test
    void randomServerErrorsTimeoutsDroppedConnectionsAndARejectedKeyConverge() throws Exception {
        STUB.faults().randomServerErrors(0.3, 42);
        STUB.faults().dropUploadConnections(3);
        STUB.faults().slowUploads(2, 2500);
        List<Long> ids = corpus("flaky", 30);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> STUB.faults().injected() >= 20);
        // the key is rejected for a while (rotated in RAGFlow before the hub got the new one)
        STUB.acceptKey("ragflow-rotated-key");
        churn("flaky", ids);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !gate.allowsRequests());
        STUB.acceptKey(RagflowStub.API_KEY);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gate.allowsRequests());
        // faults stop; what ended config_error while the key was rejected is requeued by the operator
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM sync_job WHERE status IN ('queued', 'processing')", Integer.class) == 0);
        STUB.faults().clear();
        assertThat(httpPost("/api/jobs/requeue", "{}").statusCode()).isEqualTo(200);

        assertConverged();
        assertThat(STUB.wireMock().getAllServeEvents().stream().filter(e -> e.getResponse().getStatus() == 401).count())
                .as("the rejected key was seen").isPositive();
    }

    @Test
    void databaseConnectionsKilledWhileJobsRunConverge() throws Exception {
        STUB.faults().uploadDelay(100);
        List<Long> ids = corpus("dbcut", 24);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM sync_job WHERE status = 'indexed'", Integer.class) >= 3);
        // cut every connection of the hub (and this test) to its database, twice, while jobs run
        for (int round = 0; round < 2; round++) {
            // something to cut: the hub's pool holds connections besides the one this statement runs on
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()", Integer.class,
                    DATABASE) > 0);
            int killed = jdbc.queryForObject("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = ? AND pid <> pg_backend_pid()", Integer.class, DATABASE);
            assertThat(killed).isPositive();
            // the test's own pooled connections die too: the first queries after the cut may fail
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM sync_job_log WHERE created_at > now() - interval '2 seconds'", Integer.class) > 0);
        }
        // the hub's routes retry through dead pooled connections; this test's own statements go through the same
        // pool, so its killed idle connections are retired before the churn rather than failing one statement
        ((com.zaxxer.hikari.HikariDataSource) jdbc.getDataSource()).getHikariPoolMXBean().softEvictConnections();
        churn("dbcut", ids);
        STUB.faults().clear();
        assertConverged();
    }

    @Test
    void aHubKilledWithSigkillMidBatchIsRecoveredByTheOtherInstance() throws Exception {
        STUB.faults().uploadDelay(150);
        Map<String, String> props = new HashMap<>(isolatedProperties(DATABASE, "faults-child", overrides()));
        props.put("camel.main.name", camel.getName());
        ChildHub child = ChildHub.start(props);
        try {
            child.awaitStarted();
            List<Long> ids = corpus("killed", 40);
            // wait until the child is in the middle of the batch: it has claimed and finished some jobs
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM sync_job WHERE claimed_by = 'faults-child' AND status = 'processing'",
                    Integer.class) > 0);
            assertThat(child.kill()).as("killed by SIGKILL").isEqualTo(137);
            churn("killed", ids);
            assertConverged();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job_log WHERE event = 'lease_expired'",
                    Integer.class)).as("the killed instance's jobs came back through lease expiry").isPositive();
        } finally {
            child.close();
        }
    }

}
