package io.ragsync.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ragsync.support.ChildHub;
import io.ragsync.support.IsolatedHubTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Jobs of a process that died: with the shipped lease, heartbeat and maintenance settings (not the shared tests'
 * fast ones) a dead process's job is back in the queue within a minute, a live process's job that runs longer
 * than a lease is not taken twice, and a process restarted under the same instance id neither renews nor keeps
 * its predecessor's jobs.
 */
class JobLeasesTest extends IsolatedHubTest {

    private static final String INSTANCE = "leases-1";
    private static final Duration MINUTE = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void leaseProperties(DynamicPropertyRegistry registry) {
        Map<String, String> props = new HashMap<>(isolatedProperties("ragsync_leases", INSTANCE, Map.of()));
        // the shipped timings of the job queue
        props.remove("app.jobs.lease-seconds");
        props.remove("app.jobs.heartbeat-interval-ms");
        props.remove("app.jobs.maintenance-cron");
        register(registry, props);
    }

    @Autowired
    TransactionTemplate tx;
    @Autowired
    ProducerTemplate producer;

    /** A job a test's dead process holds and the hub did not take back ends here, so the next test starts quiet. */
    @AfterEach
    void endTheDeadProcessesJobs() {
        jdbc.update("UPDATE sync_job SET status = 'failed', phase = NULL, lease_until = NULL, ended_at = now()"
                + " WHERE status = 'processing' AND claim_token IN ('crashed-process', 'earlier-process')");
    }

    /** A document whose job is claimed, as the claim statement writes it, by a process that then dies. */
    private long claimedByDeadProcess(String name, String instance, String token, String leaseSql) {
        writeFile(name + ".txt", "held by a process that died: " + name);
        long kb = knowledgeBase("Leases " + name);
        return tx.execute(status -> {
            long id = document(kb, name, name + ".txt");
            jdbc.update("UPDATE sync_job SET status = 'processing', phase = 'sync', claimed_by = ?, claim_token = ?,"
                    + " started_at = now(), lease_until = " + leaseSql + " WHERE document_id = ?", instance, token, id);
            return id;
        });
    }

    private int configuredLeaseSeconds() {
        return Integer.parseInt(camel.resolvePropertyPlaceholders("{{app.jobs.lease-seconds}}"));
    }

    @Test
    void aDeadProcesssJobIsBackInTheQueueWithinAMinute() {
        long doc = claimedByDeadProcess("dead", "crashed-instance", "crashed-process",
                "now() + make_interval(secs => " + configuredLeaseSeconds() + ")");
        long started = System.nanoTime();

        await().atMost(MINUTE).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM sync_job_log l JOIN sync_job j ON j.id = l.job_id"
                        + " WHERE j.document_id = ? AND l.event = 'lease_expired'", Integer.class, doc) > 0);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(MINUTE);
        Map<String, Object> job = awaitJob(doc, "indexed");
        assertThat(job.get("claimed_by")).isEqualTo(INSTANCE);
        assertThat(job.get("retry_count")).isEqualTo(1);
    }

    @Test
    void aLiveProcesssJobLongerThanItsLeaseRunsOnce() {
        int lease = configuredLeaseSeconds();
        STUB.faults().uploadDelay((lease + 8) * 1000L);
        long doc = documentWithFile(knowledgeBase("Long upload"), "Long", "long.txt", "a long upload");
        await().atMost(PATIENCE).until(() -> "processing".equals(latestJob(doc).get("status")));
        Timestamp firstLease = (Timestamp) latestJob(doc).get("lease_until");

        Map<String, Object> job = awaitJob(doc, "indexed");
        assertThat(job.get("retry_count")).as("never taken back from its live holder").isEqualTo(0);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE document_id = ?", Integer.class, doc))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job_log WHERE event = 'lease_expired'", Integer.class))
                .isZero();
        assertThat(STUB.countRequests("POST", "/api/v1/datasets/[^/]+/documents")).as("uploaded once").isEqualTo(1);
        assertThat(firstLease).isNotNull();
    }

    @Test
    void aRestartUnderTheSameNameReleasesThePredecessorsJobsAtStart() {
        // the predecessor's heartbeat had just renewed it: without the release it would wait out the whole lease
        long doc = claimedByDeadProcess("restarted", INSTANCE, "earlier-process", "now() + interval '10 minutes'");

        producer.sendBody("direct:release-earlier-process-jobs", null);

        Map<String, Object> job = awaitJob(doc, "indexed");
        assertThat(job.get("retry_count")).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT event FROM sync_job_log WHERE job_id = ?", String.class, job.get("id")))
                .contains("restart");
    }

    /** The same, end to end: a hub process started under the name releases the job before it claims anything. */
    @Test
    void aHubStartedUnderTheSameNameReleasesThePredecessorsJobs() throws Exception {
        long doc = claimedByDeadProcess("restarted-hub", "leases-restarted", "earlier-process",
                "now() + interval '10 minutes'");
        Map<String, String> props = new HashMap<>(isolatedProperties("ragsync_leases", "leases-restarted", Map.of()));
        props.put("camel.main.name", camel.getName());
        try (ChildHub restarted = ChildHub.start(props)) {
            restarted.awaitStarted();
            Map<String, Object> job = awaitJob(doc, "indexed");
            assertThat(job.get("retry_count")).isEqualTo(1);
            assertThat(jdbc.queryForList("SELECT event FROM sync_job_log WHERE job_id = ?", String.class, job.get("id")))
                    .contains("restart");
            restarted.stop(Duration.ofSeconds(30));
        }
    }

    @Test
    void theHeartbeatRenewsOnlyThisProcesssJobs() {
        // same instance id, another process; its lease outlasts a heartbeat (10 s), which must not extend it
        long doc = claimedByDeadProcess("not-renewed", INSTANCE, "earlier-process", "now() + interval '12 seconds'");

        await().atMost(MINUTE).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM sync_job_log l JOIN sync_job j ON j.id = l.job_id"
                        + " WHERE j.document_id = ? AND l.event = 'lease_expired'", Integer.class, doc) > 0);
        assertThat(awaitJob(doc, "indexed").get("retry_count")).isEqualTo(1);
    }
}
