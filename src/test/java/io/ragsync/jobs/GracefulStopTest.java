package io.ragsync.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.Application;
import io.ragsync.support.HubTestSupport;
import io.ragsync.support.RagflowStub;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A clean stop (SIGTERM closes the application context) of an instance while its jobs run: it claims
 * nothing more, lets in-flight jobs finish within app.jobs.shutdown-grace-seconds, returns what it still
 * holds to the queue, and leaves no row 'processing'. The first instance (paused meanwhile) then finishes
 * everything without a duplicate in RAGFlow.
 */
class GracefulStopTest extends HubTestSupport {

    private static final String SECOND = "test-instance-2";

    @AfterEach
    void noDelay() {
        RAGFLOW.wireMock().setGlobalFixedDelay(0);
    }

    @Test
    void inFlightJobsFinishWithinTheGracePeriodAndNothingIsLeftProcessing() {
        gate.pause("test: only the second instance works");
        RAGFLOW.parsePollsToFinish(1_000_000);          // RAGFlow keeps parsing: the jobs stay 'processing'
        RAGFLOW.wireMock().setGlobalFixedDelay(150);
        long[] items = queueItems("grace", 3);
        try (ConfigurableApplicationContext second = secondInstance(20)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count(
                    "SELECT count(*) FROM sync_job WHERE claimed_by = ? AND status = 'processing' AND phase = 'sync'", SECOND) > 0);
        }
        // the context is closed: in-flight uploads finished, nothing is processing, what was held is queued again
        assertThat(count("SELECT count(*) FROM sync_job WHERE status = 'processing'")).isZero();
        assertThat(count("SELECT count(*) FROM ingest_queue_item WHERE status = 'processing'")).isZero();
        List<Long> released = jdbc.queryForList("SELECT job_id FROM sync_job_log WHERE event = 'shutdown'", Long.class);
        assertThat(released).isNotEmpty();
        long uploadedBeforeStop = RAGFLOW.uploadCount();
        assertThat(uploadedBeforeStop).as("the in-flight jobs were finished, not abandoned").isEqualTo(released.size());
        assertThat(count("SELECT count(*) FROM sync_job WHERE status = 'queued'")).isEqualTo(items.length);
        assertThat(count("SELECT count(*) FROM ingest_log WHERE event = 'shutdown'")).isEqualTo(released.size());

        RAGFLOW.wireMock().setGlobalFixedDelay(0);
        RAGFLOW.parsePollsToFinish(1);
        gate.reopen();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                count("SELECT count(*) FROM ingest_queue_item WHERE status = 'indexed'") == items.length);
        assertThat(RAGFLOW.uploadCount()).as("released jobs resume without a new upload").isEqualTo(items.length);
        assertOneRagflowDocumentPerDocument(items.length);
    }

    @Test
    void jobsStillRunningWhenTheGracePeriodEndsGoBackToTheQueue() {
        gate.pause("test: only the second instance works");
        RAGFLOW.wireMock().setGlobalFixedDelay(2500);    // every RAGFlow call outlasts the grace period
        long[] items = queueItems("cut", 2);
        try (ConfigurableApplicationContext second = secondInstance(1)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count(
                    "SELECT count(*) FROM sync_job WHERE claimed_by = ? AND status = 'processing'", SECOND) > 0);
        }
        assertThat(count("SELECT count(*) FROM sync_job WHERE status = 'processing'")).isZero();
        assertThat(count("SELECT count(*) FROM ingest_queue_item WHERE status = 'processing'")).isZero();
        assertThat(jdbc.queryForList("SELECT message FROM sync_job_log WHERE event = 'shutdown'", String.class))
                .isNotEmpty().allSatisfy(m -> assertThat(m).contains(SECOND).contains("now queued"));

        RAGFLOW.wireMock().setGlobalFixedDelay(0);
        gate.reopen();
        Awaitility.await().atMost(Duration.ofSeconds(40)).until(() ->
                count("SELECT count(*) FROM ingest_queue_item WHERE status = 'indexed'") == items.length);
        assertOneRagflowDocumentPerDocument(items.length);
    }

    @Test
    void aJobHandedToABusyWorkerStillRunsWhenTheStopBegins() throws Exception {
        gate.pause("test: only the second instance works");
        RAGFLOW.parsePollsToFinish(1_000_000);          // the first job stays parsing: its status is checked each tick
        long first = queueItems("busy", 1)[0];
        try (ConfigurableApplicationContext second = secondInstance(5, 1)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM ingest_queue_item"
                    + " i JOIN sync_job j ON j.id = i.sync_job_id WHERE i.id = ? AND j.phase = 'parsing'", first) == 1);
            // the only worker holds a parse status check; the next job is claimed and waits for that worker
            RagflowStub.Hold check = RAGFLOW.holdNext("GET", "/api/v1/datasets/[^/]+/documents", "(^|&)id=", false)
                    .awaitHeld(Duration.ofSeconds(10));
            long next = queueItems("waiting", 1)[0];
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM ingest_queue_item i"
                    + " JOIN sync_job j ON j.id = i.sync_job_id WHERE i.id = ? AND j.claimed_by = ? AND j.status = 'processing'",
                    next, SECOND) == 1);
            Thread closer = new Thread(second::close, "closer");
            closer.start();
            // the stop is under way: the poller's route is stopped, or the stop waits for the running jobs
            CamelContext camel = second.getBean(CamelContext.class);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> camel.getRouteController()
                    .getRouteStatus("job-poller").isStopped() || waitsForJobs(closer));
            check.release();
            closer.join(TimeUnit.SECONDS.toMillis(30));
            // the waiting job ran within the grace period (uploaded, then parsing) rather than vanishing unstarted
            assertThat(RAGFLOW.uploadCount()).isEqualTo(2);
            assertThat(count("SELECT count(*) FROM ingest_queue_item i JOIN sync_job_log l ON l.job_id = i.sync_job_id"
                    + " WHERE i.id = ? AND l.event = 'parsing'", next)).isEqualTo(1);
        }
    }

    /** Whether the closing thread waits in the graceful stop for the running jobs. */
    private static boolean waitsForJobs(Thread closer) {
        return Arrays.stream(closer.getStackTrace()).anyMatch(frame -> frame.getClassName().equals(JobSlots.class.getName())
                && frame.getMethodName().equals("awaitIdle"));
    }

    private ConfigurableApplicationContext secondInstance(int graceSeconds) {
        return secondInstance(graceSeconds, 3);
    }

    private ConfigurableApplicationContext secondInstance(int graceSeconds, int workers) {
        Map<String, Object> props = new HashMap<>(testProperties("ragsync_test", SECOND));
        props.put("app.jobs.parallelism", String.valueOf(workers));
        props.put("server.port", "0");
        props.put("camel.main.name", "ragsync-2");
        props.put("camel.main.jmx-enabled", "false");
        props.put("app.jobs.shutdown-grace-seconds", String.valueOf(graceSeconds));
        props.put("app.drop.enabled", "false");
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(Application.class).run(args);
    }

    private long[] queueItems(String folder, int n) {
        long[] items = new long[n];
        for (int i = 0; i < n; i++) {
            String path = folder + "/doc" + i + ".txt";
            writeFile(path, folder + " document " + i);
            long node = jdbc.queryForObject("INSERT INTO ingest_document (title, storage_path, knowledge_base)"
                    + " VALUES (?, ?, ?) RETURNING id", Long.class, "Doc " + i, path, "Stops");
            items[i] = jdbc.queryForObject("INSERT INTO ingest_queue_item (document_node_id, storage_path)"
                    + " VALUES (?, ?) RETURNING id", Long.class, node, path);
        }
        return items;
    }

    @SuppressWarnings("unchecked")
    private void assertOneRagflowDocumentPerDocument(int documents) {
        Map<Object, Long> perExternalId = RAGFLOW.allDocuments().stream().collect(Collectors.groupingBy(
                d -> ((Map<String, Object>) d.getOrDefault("meta_fields", Map.of())).get("external_id") + "",
                Collectors.counting()));
        assertThat(perExternalId).hasSize(documents).allSatisfy((id, c) -> assertThat(c).isEqualTo(1L));
    }

    private int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }
}
