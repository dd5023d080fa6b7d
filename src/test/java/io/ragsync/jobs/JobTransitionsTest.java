package io.ragsync.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.jobs.Job;
import io.ragsync.jobs.ProcessClaim;
import io.ragsync.support.IsolatedHubTest;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The job transitions, each on a job held by a process: the row it leaves, its log and dead letter, and the one
 * requeue rule - a job that goes back to the queue ends 'superseded' instead when a newer event of its document is
 * already queued. The poller is stopped, so nothing but the transition under test moves a job.
 */
class JobTransitionsTest extends IsolatedHubTest {

    private static final String INSTANCE = "transitions-1";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        register(registry, isolatedProperties("ragsync_transitions", INSTANCE, Map.of()));
    }

    @Autowired
    ProducerTemplate producer;
    @Autowired
    ProcessClaim processClaim;

    private long kb;

    @BeforeEach
    void noPoller() throws Exception {
        camel.getRouteController().stopRoute("job-poller");
        kb = knowledgeBase("Transitions");
    }

    /** Ends what a test left held or pending, so the hub is quiet for the next one. */
    @AfterEach
    void endHeldJobs() {
        jdbc.update("UPDATE sync_job SET status = 'failed', phase = NULL, lease_until = NULL, next_retry_at = NULL,"
                + " ended_at = now() WHERE status IN ('processing', 'queued')");
    }

    /** A document's job, claimed by this instance under a token no heartbeat renews, with a long lease. */
    private Job held(String name) {
        long doc = document(kb, name, name + ".txt");
        jdbc.update("UPDATE sync_job SET status = 'processing', phase = 'sync', claimed_by = ?, claim_token = 'test',"
                + " claims = claims + 1, started_at = now(), lease_until = now() + interval '1 hour'"
                + " WHERE document_id = ? AND status = 'queued'", INSTANCE, doc);
        return claimed(doc);
    }

    /** The document's processing job as the claim statement returns it, with its claim's number. */
    private Job claimed(long doc) {
        return Job.of(jdbc.queryForMap("SELECT id AS job_id, document_id, knowledge_base_id, op, target, source,"
                + " retry_count, claims FROM sync_job WHERE document_id = ? AND status = 'processing'", doc));
    }

    /** The job's row as the claim statement returns it. */
    private Map<String, Object> claimedRow(Job job) {
        return jdbc.queryForMap("SELECT id AS job_id, document_id, knowledge_base_id, op, target, source, retry_count,"
                + " claims FROM sync_job WHERE id = ?", job.id());
    }

    /** A newer event of the job's document, waiting in the queue. */
    private long newerQueued(Job job) {
        return jdbc.queryForObject("INSERT INTO sync_job (document_id, knowledge_base_id, op, target, source)"
                + " SELECT document_id, knowledge_base_id, op, target, source FROM sync_job WHERE id = ? RETURNING id",
                Long.class, job.id());
    }

    private Exchange run(String uri, Job job, Consumer<Exchange> with) {
        Exchange done = producer.send(uri, exchange -> {
            exchange.setVariable("job", job);
            exchange.setProperty("jobId", job.id());
            exchange.setProperty("documentId", job.documentId());
            exchange.setProperty("knowledgeBaseId", job.knowledgeBaseId());
            exchange.setProperty("op", job.op());
            exchange.setProperty("target", job.target());
            with.accept(exchange);
        });
        assertThat(done.getException()).isNull();
        return done;
    }

    private Map<String, Object> row(Job job) {
        return jdbc.queryForMap("SELECT * FROM sync_job WHERE id = ?", job.id());
    }

    private int logRows(Job job, String event) {
        return jdbc.queryForObject("SELECT count(*) FROM sync_job_log WHERE job_id = ? AND event = ?", Integer.class,
                job.id(), event);
    }

    /**
     * Runs a claim while the planner's statistics say the job tables hold one row, as they do right after a bulk
     * insert: the plan then rescans the rows a claim locks, and SKIP LOCKED must not pick new ones on a rescan.
     */
    private int claimPlannedForOneRow(String countingQuery) throws Exception {
        try (java.sql.Connection connection = jdbc.getDataSource().getConnection();
             java.sql.Statement statement = connection.createStatement()) {
            try {
                statement.execute("UPDATE pg_class SET reltuples = 1, relpages = 1"
                        + " WHERE oid IN ('sync_job'::regclass, 'document_sync'::regclass)");
                // this session's cached plan of the claim function was made with the real statistics
                statement.execute("DISCARD PLANS");
                try (java.sql.ResultSet rows = statement.executeQuery(countingQuery)) {
                    rows.next();
                    return rows.getInt(1);
                }
            } finally {
                statement.execute("ANALYZE sync_job, document_sync");
                statement.execute("DISCARD PLANS");
            }
        }
    }

    /** The poller reserved a worker for each job it asks for: a job past the limit would run beyond them. */
    @Test
    void aClaimTakesNoMoreJobsThanItsLimitWhateverThePlan() throws Exception {
        long local = localKnowledgeBase("Claim limit");
        for (int i = 0; i < 30; i++) {
            document(local, "limit-" + i, "limit-" + i + ".txt");
        }
        assertThat(claimPlannedForOneRow("SELECT count(*) FROM ragsync_job_claim(2, 'test', '" + INSTANCE
                + "', 60, true, true, false, 1000, 3600)")).as("jobs claimed by a claim of 2").isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE status = 'processing'", Integer.class))
                .as("jobs processing").isEqualTo(2);
    }

    /** A parse tracker's tick checks at most 50 documents; the rest wait for the next tick or instance. */
    @Test
    void aParseCheckClaimTakesNoMoreThanItsBatchWhateverThePlan() throws Exception {
        camel.getRouteController().stopRoute("ragflow-parse-tracker");
        for (int i = 0; i < 60; i++) {
            Job job = held("parse-limit-" + i);
            jdbc.update("UPDATE sync_job SET phase = 'parsing', updated_at = now() - interval '1 hour' WHERE id = ?",
                    job.id());
            jdbc.update("INSERT INTO document_sync (document_id, knowledge_base_id, status, run) VALUES (?, ?,"
                    + " 'parsing', 'RUNNING')", job.documentId(), job.knowledgeBaseId());
        }
        // the tracker's statement, its settings (lease, poll interval, timeout) all 60
        String claim = new String(getClass().getResourceAsStream("/sql/targets/ragflow/claim-parse-checks.sql")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replaceAll(":#\\$\\{properties:[^}]+}", "60");
        assertThat(claimPlannedForOneRow("WITH claimed AS (" + claim + "\n) SELECT count(*) FROM claimed"))
                .as("parse checks claimed by one tick").isEqualTo(50);
    }

    @Test
    void succeedEndsTheJobOnceWithItsLogRow() {
        Job job = held("succeed");
        for (int twice = 0; twice < 2; twice++) {
            run("direct:job-succeeded", job, e -> {
                e.setProperty("outcome", "indexed");
                e.setProperty("ragMessage", "3 chunks");
            });
        }
        Map<String, Object> row = row(job);
        assertThat(row.get("status")).isEqualTo("indexed");
        assertThat(row.get("ended_at")).isNotNull();
        assertThat(row.get("lease_until")).isNull();
        assertThat(row.get("rag_message")).isEqualTo("3 chunks");
        assertThat(logRows(job, "indexed")).isEqualTo(1);
    }

    @Test
    void parsedDocumentsEndTheirJobsTogetherOnceWithLogRowsAndDocumentStatus() {
        Job first = held("parsed-1");
        Job second = held("parsed-2");
        for (Job job : java.util.List.of(first, second)) {
            jdbc.update("INSERT INTO document_sync (document_id, knowledge_base_id, status, run) VALUES (?, ?,"
                    + " 'parsing', 'RUNNING')", job.documentId(), job.knowledgeBaseId());
        }
        String batch = "SELECT * FROM ragsync_jobs_parsed(?::bigint[], ARRAY['ds', 'ds'], ARRAY['4 chunks', '7 chunks'],"
                + " ARRAY['done', 'done'], ARRAY[4, 7]::bigint[], ARRAY[1, 1])";
        String ids = "{" + first.id() + "," + second.id() + "}";

        assertThat(jdbc.queryForList(batch, ids)).extracting(r -> r.get("job_id"), r -> r.get("status"))
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(first.id(), "indexed"),
                        org.assertj.core.groups.Tuple.tuple(second.id(), "indexed"));
        assertThat(jdbc.queryForList(batch, ids)).as("a second report of the same parse ends nothing").isEmpty();
        Job third = held("parsed-3");
        assertThat(jdbc.queryForList("SELECT * FROM ragsync_jobs_parsed(ARRAY[?]::bigint[], ARRAY['ds'], ARRAY['1'],"
                + " ARRAY['done'], ARRAY[1]::bigint[], ARRAY[?])", third.id(), third.claim() - 1))
                .as("a parse read under an earlier claim ends nothing").isEmpty();
        assertThat(row(third)).containsEntry("status", "processing");

        assertThat(row(second)).containsEntry("status", "indexed").containsEntry("rag_message", "7 chunks")
                .containsEntry("lease_until", null);
        assertThat(logRows(first, "indexed")).isEqualTo(1);
        assertThat(logRows(second, "indexed")).isEqualTo(1);
        assertThat(jdbc.queryForMap("SELECT status, run, chunk_count FROM document_sync WHERE document_id = ?",
                second.documentId())).containsEntry("status", "indexed").containsEntry("run", "DONE")
                .containsEntry("chunk_count", 7);
    }

    /** The worker of the job reports this outcome through job-succeeded. */
    private void succeeded(Job job, String outcome, String message) {
        run("direct:job-succeeded", job, e -> {
            e.setProperty("outcome", outcome);
            e.setProperty("ragMessage", message);
        });
    }

    /** The job's lease runs out under its worker and the lease recovery puts it back in the queue. */
    private void leaseRunsOut(Job job) {
        jdbc.update("UPDATE sync_job SET lease_until = now() - interval '1 second' WHERE id = ?", job.id());
        jdbc.queryForList("SELECT * FROM ragsync_jobs_recover_stale(8)");
        assertThat(row(job)).containsEntry("status", "queued");
    }

    /** Another worker claims the job again: the claim's number goes up. */
    private Job claimedAgain(Job job) {
        jdbc.update("UPDATE sync_job SET status = 'processing', phase = 'sync', claimed_by = 'transitions-2',"
                + " claim_token = 'another process', claims = claims + 1, started_at = now(),"
                + " lease_until = now() + interval '1 hour' WHERE id = ? AND status = 'queued'", job.id());
        return claimed(job.documentId());
    }

    /** A worker outlived its lease; its late success must not end the job a newer event of the document joined. */
    @Test
    void aLateSuccessOfAnExpiredClaimLeavesTheNewerEventQueued() {
        Job job = held("late-success");
        leaseRunsOut(job);
        jdbc.update("UPDATE document SET title = 'late-success v2' WHERE id = ?", job.documentId());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE document_id = ?", Integer.class,
                job.documentId())).as("the newer event joined the queued job").isEqualTo(1);

        succeeded(job, "indexed", "3 chunks of the first version");

        assertThat(row(job)).containsEntry("status", "queued").containsEntry("ended_at", null);
        assertThat(logRows(job, "indexed")).isZero();
    }

    /** The late failure of the first worker must not end, nor dead-letter, the run of the second. */
    @Test
    void aLateFailureOrRetryOfAnExpiredClaimLeavesTheNextClaimsRun() {
        Job first = held("late-failure");
        leaseRunsOut(first);
        Job second = claimedAgain(first);

        run("direct:job-failed", first, e -> e.setProperty("errorMessage", "the first worker gave up"));
        run("direct:job-reschedule", first, e -> {
            e.setProperty("errorMessage", "RAGFlow answered HTTP 502");
            e.setProperty("retryAfterSeconds", 0);
        });
        run("direct:job-deferred", first, e -> e.setProperty(Exchange.EXCEPTION_CAUGHT,
                new TargetBusyException("RAGFlow answered HTTP 429 with Retry-After 30 s", 30)));

        assertThat(row(first)).containsEntry("status", "processing").containsEntry("claim_token", "another process")
                .containsEntry("retry_count", 1).containsEntry("next_retry_at", null);
        assertThat(deadLetters(first)).isZero();
        assertThat(logRows(first, "failed")).isZero();
        assertThat(logRows(first, "deferred")).isZero();

        succeeded(second, "indexed", "2 chunks");
        assertThat(row(first)).containsEntry("status", "indexed");
    }

    /**
     * A newer event of the document commits while its job goes back to the queue, unseen by the return's snapshot:
     * the return meets the queued row on the unique index and the newer event supersedes the job, as when seen.
     */
    @Test
    void aJobReturnedWhileItsDocumentIsEnqueuedIsSupersededByTheNewerEvent() throws Exception {
        Job job = held("return-race");
        try (java.sql.Connection enqueuing = jdbc.getDataSource().getConnection()) {
            enqueuing.setAutoCommit(false);
            try (java.sql.PreparedStatement newer = enqueuing.prepareStatement("INSERT INTO sync_job (document_id,"
                    + " knowledge_base_id, op, target, source) SELECT document_id, knowledge_base_id, op, target,"
                    + " source FROM sync_job WHERE id = ?")) {
                newer.setLong(1, job.id());
                newer.executeUpdate();
            }
            java.util.concurrent.CompletableFuture<Exchange> deferred = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> run("direct:job-deferred", job, e -> e.setProperty(Exchange.EXCEPTION_CAUGHT,
                            new TargetBusyException("RAGFlow answered HTTP 429 with Retry-After 30 s", 30))));
            // the deferral's update waits for the newer row's transaction
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND wait_event_type = 'Lock'", Integer.class) > 0);
            enqueuing.commit();
            deferred.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(row(job)).containsEntry("status", "superseded").containsEntry("claimed_by", null);
        assertThat(logRows(job, "deferred")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE document_id = ? AND status = 'queued'",
                Integer.class, job.documentId())).isEqualTo(1);
    }

    /** A late parsing mark must leave a queued job queued, and another worker's run in its sync phase. */
    @Test
    void aLateParsingMarkOfAnExpiredClaimChangesNothing() {
        Job first = held("late-parsing");
        leaseRunsOut(first);
        succeeded(first, "parsing", "parse started");
        assertThat(row(first)).containsEntry("status", "queued").containsEntry("phase", null);
        assertThat(logRows(first, "parsing")).isZero();

        claimedAgain(first);
        succeeded(first, "parsing", "parse started");
        assertThat(row(first)).containsEntry("status", "processing").containsEntry("phase", "sync");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document_sync WHERE document_id = ? AND status ="
                + " 'parsing'", Integer.class, first.documentId())).isZero();
    }

    @Test
    void failEndsTheJobWithDocumentStatusLogAndDeadLetter() {
        Job job = held("fail");
        run("direct:job-failed", job, e -> e.setProperty("errorMessage", "cannot be fixed by retrying"));

        Map<String, Object> row = row(job);
        assertThat(row.get("status")).isEqualTo("failed");
        assertThat(row.get("last_error")).isEqualTo("cannot be fixed by retrying");
        assertThat(row.get("ended_at")).isNotNull();
        assertThat(documentSync(job.documentId())).containsEntry("status", "failed")
                .containsEntry("last_error", "cannot be fixed by retrying").containsEntry("last_job_id", job.id());
        assertThat(jdbc.queryForObject("SELECT level FROM sync_job_log WHERE job_id = ? AND event = 'failed'",
                String.class, job.id())).isEqualTo("ERROR");
        Map<String, Object> dead = jdbc.queryForMap("SELECT * FROM sync_dead_letter WHERE job_id = ?", job.id());
        assertThat(dead).containsEntry("document_id", job.documentId()).containsEntry("knowledge_base_id", kb)
                .containsEntry("op", job.op()).containsEntry("error", "cannot be fixed by retrying");
        assertThat((String) dead.get("payload")).contains("job_id=" + job.id());
    }

    @Test
    void downloadFailedEndsTheJobWithoutDeadLetter() {
        Job job = held("download");
        run("direct:job-failed", job, e -> e.setProperty(Exchange.EXCEPTION_CAUGHT,
                new DownloadFailedException("no such file")));

        assertThat(row(job).get("status")).isEqualTo("download_failed");
        assertThat(documentSync(job.documentId())).containsEntry("status", "download_failed");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_dead_letter WHERE job_id = ?", Integer.class,
                job.id())).isZero();
    }

    @Test
    void retryPutsTheJobBackWithBackoffOrFailsItOnceRetriesAreUsedUp() {
        Job job = held("retry");
        run("direct:job-reschedule", job, e -> {
            e.setProperty("errorMessage", "RAGFlow answered HTTP 502");
            e.setProperty("retryAfterSeconds", 0L);
        });
        Map<String, Object> row = row(job);
        assertThat(row.get("status")).isEqualTo("queued");
        assertThat(row.get("retry_count")).isEqualTo(1);
        assertThat(row.get("next_retry_at")).isNotNull();
        assertThat(row.get("claimed_by")).isNull();
        assertThat(row.get("ended_at")).isNull();
        assertThat(logRows(job, "queued")).isEqualTo(1);

        Job last = held("used-up");
        jdbc.update("UPDATE sync_job SET retry_count = 3 WHERE id = ?", last.id());
        run("direct:job-reschedule", last, e -> {
            e.setProperty("errorMessage", "RAGFlow answered HTTP 502");
            e.setProperty("retryAfterSeconds", 0L);
        });
        assertThat(row(last)).containsEntry("status", "failed").containsEntry("retry_count", 4);
        assertThat((String) row(last).get("last_error")).startsWith("gave up after 3 retries");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_dead_letter WHERE job_id = ?", Integer.class,
                last.id())).isEqualTo(1);
    }

    @Test
    void aNewerQueuedJobSupersedesARescheduledOne() {
        Job job = held("retry-superseded");
        newerQueued(job);
        run("direct:job-reschedule", job, e -> {
            e.setProperty("errorMessage", "RAGFlow answered HTTP 502");
            e.setProperty("retryAfterSeconds", 0L);
        });
        assertThat(row(job).get("status")).isEqualTo("superseded");
        assertThat(row(job).get("ended_at")).isNotNull();
    }

    @Test
    void releaseAndDeferPutTheJobBackOrEndItSuperseded() {
        gate.pause("the key was rejected");
        Job released = held("release");
        run("direct:sync-job", released, e -> e.getMessage().setBody(claimedRow(released)));
        assertThat(row(released)).containsEntry("status", "queued").containsEntry("retry_count", 0)
                .containsEntry("claimed_by", null);

        Job supersededOnRelease = held("release-superseded");
        newerQueued(supersededOnRelease);
        run("direct:sync-job", supersededOnRelease, e -> e.getMessage().setBody(claimedRow(supersededOnRelease)));
        gate.reopen();
        assertThat(row(supersededOnRelease).get("status")).isEqualTo("superseded");

        Job deferred = held("defer");
        run("direct:job-deferred", deferred, e -> e.setProperty(Exchange.EXCEPTION_CAUGHT,
                new TargetBusyException("RAGFlow answered HTTP 429 with Retry-After 30 s", 30)));
        Map<String, Object> row = row(deferred);
        assertThat(row).containsEntry("status", "queued").containsEntry("retry_count", 0);
        assertThat(row.get("next_retry_at")).isNotNull();
        assertThat(logRows(deferred, "deferred")).isEqualTo(1);

        Job supersededOnDefer = held("defer-superseded");
        newerQueued(supersededOnDefer);
        run("direct:job-deferred", supersededOnDefer, e -> e.setProperty(Exchange.EXCEPTION_CAUGHT,
                new TargetBusyException("RAGFlow answered HTTP 429 with Retry-After 30 s", 30)));
        assertThat(row(supersededOnDefer).get("status")).isEqualTo("superseded");
        assertThat(row(supersededOnDefer).get("ended_at")).isNotNull();
    }

    @Test
    void aStoppingInstanceReturnsItsJobsOrEndsThemSuperseded() {
        Job back = held("stop");
        Job superseded = held("stop-superseded");
        newerQueued(superseded);
        jdbc.update("UPDATE sync_job SET claim_token = ? WHERE id IN (?, ?)", processClaim.token(), back.id(),
                superseded.id());
        producer.sendBody("direct:job-poller-release", null);
        assertThat(row(back)).containsEntry("status", "queued").containsEntry("claimed_by", null);
        assertThat(row(superseded).get("status")).isEqualTo("superseded");
        assertThat(row(superseded).get("ended_at")).isNotNull();
        assertThat(logRows(back, "shutdown")).isEqualTo(1);
    }

    @Test
    void anExpiredLeaseCountsARetryAndANewerQueuedJobSupersedes() {
        Job back = held("expired");
        Job superseded = held("expired-superseded");
        newerQueued(superseded);
        jdbc.update("UPDATE sync_job SET lease_until = now() - interval '1 second' WHERE id IN (?, ?)",
                back.id(), superseded.id());
        producer.send("sql:classpath:sql/jobs/recover-stale-jobs.sql", e -> { });
        assertThat(row(back)).containsEntry("status", "queued").containsEntry("retry_count", 1);
        assertThat(row(superseded).get("status")).isEqualTo("superseded");
        assertThat(logRows(back, "lease_expired")).isEqualTo(1);
    }

    private int deadLetters(Job job) {
        return jdbc.queryForObject("SELECT count(*) FROM sync_dead_letter WHERE job_id = ?", Integer.class,
                job.id());
    }

    /** The database owns every transition (V91): each function leaves the row, log and dead letter on its own. */
    @Test
    void eachOutcomeIsOneFunctionOfTheDatabase() {
        Job done = held("owner-succeed");
        for (int twice = 0; twice < 2; twice++) {
            jdbc.queryForList("SELECT * FROM ragsync_job_succeed(?, 'indexed', '2 chunks', NULL, NULL, NULL, NULL,"
                    + " NULL, 30, ?)", done.id(), done.claim());
        }
        assertThat(row(done)).containsEntry("status", "indexed").containsEntry("lease_until", null);
        assertThat(logRows(done, "indexed")).isEqualTo(1);

        Job failed = held("owner-fail");
        jdbc.queryForMap("SELECT * FROM ragsync_job_fail(?, 'failed', 'broken', 'a-route', 'the row', ?)", failed.id(),
                failed.claim());
        assertThat(row(failed)).containsEntry("status", "failed").containsEntry("last_error", "broken");
        assertThat(documentSync(failed.documentId())).containsEntry("status", "failed");
        assertThat(logRows(failed, "failed")).isEqualTo(1);
        assertThat(deadLetters(failed)).isEqualTo(1);

        Job retried = held("owner-retry");
        assertThat(jdbc.queryForMap("SELECT * FROM ragsync_job_retry(?, 'HTTP 502', 0, 3, 2, 3600, 'a-route', 'r', ?)",
                retried.id(), retried.claim())).containsEntry("status", "queued");
        assertThat(row(retried)).containsEntry("status", "queued").containsEntry("retry_count", 1)
                .containsEntry("claimed_by", null);
        assertThat(row(retried).get("next_retry_at")).isNotNull();
        assertThat(logRows(retried, "queued")).isEqualTo(1);

        Job usedUp = held("owner-used-up");
        jdbc.update("UPDATE sync_job SET retry_count = 3 WHERE id = ?", usedUp.id());
        jdbc.queryForMap("SELECT * FROM ragsync_job_retry(?, 'HTTP 502', 0, 3, 2, 3600, 'a-route', 'r', ?)", usedUp.id(),
                usedUp.claim());
        assertThat(row(usedUp)).containsEntry("status", "failed").containsEntry("retry_count", 4);
        assertThat((String) row(usedUp).get("last_error")).startsWith("gave up after 3 retries");
        assertThat(deadLetters(usedUp)).isEqualTo(1);
    }

    /** Every way back to the queue goes through one rule: queued, or superseded by a newer queued event. */
    @Test
    void everyWayBackToTheQueueIsOneFunctionOfTheDatabase() {
        Job deferred = held("owner-defer");
        jdbc.queryForMap("SELECT * FROM ragsync_job_defer(?, 'HTTP 429', 30, NULL, NULL, ?)", deferred.id(),
                deferred.claim());
        assertThat(row(deferred)).containsEntry("status", "queued").containsEntry("retry_count", 0);
        assertThat(logRows(deferred, "deferred")).isEqualTo(1);

        Job superseded = held("owner-defer-superseded");
        newerQueued(superseded);
        jdbc.queryForMap("SELECT * FROM ragsync_job_defer(?, 'HTTP 429', 30, NULL, NULL, ?)", superseded.id(),
                superseded.claim());
        assertThat(row(superseded)).containsEntry("status", "superseded");
        assertThat(row(superseded).get("ended_at")).isNotNull();

        Job paused = held("owner-release");
        jdbc.queryForList("SELECT * FROM ragsync_job_release(?, ?)", paused.id(), paused.claim());
        assertThat(row(paused)).containsEntry("status", "queued").containsEntry("claimed_by", null);

        Job live = held("owner-live");
        assertThat(jdbc.queryForMap("SELECT * FROM ragsync_job_release_abandoned(?)", live.id()))
                .containsEntry("lease_live", true).containsEntry("released_to", null);
        jdbc.update("UPDATE sync_job SET lease_until = now() - interval '1 second' WHERE id = ?", live.id());
        assertThat(jdbc.queryForMap("SELECT * FROM ragsync_job_release_abandoned(?)", live.id()))
                .containsEntry("released_to", "queued");
        assertThat(logRows(live, "released")).isEqualTo(1);

        Job stale = held("owner-stale");
        jdbc.update("UPDATE sync_job SET lease_until = now() - interval '1 second' WHERE id = ?", stale.id());
        jdbc.queryForList("SELECT * FROM ragsync_jobs_recover_stale(8)");
        assertThat(row(stale)).containsEntry("status", "queued").containsEntry("retry_count", 1);
        assertThat(logRows(stale, "lease_expired")).isEqualTo(1);

        Job restarted = held("owner-restart");
        jdbc.queryForList("SELECT * FROM ragsync_jobs_release_earlier(?, 'another process', 8)", INSTANCE);
        assertThat(row(restarted)).containsEntry("status", "queued").containsEntry("retry_count", 1);
        assertThat(logRows(restarted, "restart")).isEqualTo(1);

        Job stopping = held("owner-stop");
        jdbc.queryForList("SELECT * FROM ragsync_jobs_release_instance(?, 'test')", INSTANCE);
        assertThat(row(stopping)).containsEntry("status", "queued").containsEntry("retry_count", 0);
        assertThat(logRows(stopping, "shutdown")).isEqualTo(1);

        jdbc.update("UPDATE sync_job SET status = 'failed', ended_at = now() WHERE id = ?", stopping.id());
        assertThat(jdbc.queryForList("SELECT * FROM ragsync_jobs_requeue(ARRAY['failed'], NULL, ?, NULL, NULL,"
                + " false, 'requeued by operator')", stopping.documentId())).hasSize(1);
        assertThat(row(stopping)).containsEntry("status", "queued").containsEntry("retry_count", 0);
    }
}
