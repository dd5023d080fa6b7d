package io.ragsync.jobs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.ConverterSearches;
import io.ragsync.support.HubTestSupport;
import io.ragsync.support.RagflowStub;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * routes/jobs/* (job-poller, sync-job, error-handling, dead-letter) and routes/targets/ragflow/*: backend document create/update/delete reach RAGFlow through the
 * triggers, the job queue and the RAGFlow routes, against a stub that answers as RAGFlow does.
 */
class BackendSyncFlowTest extends HubTestSupport {

    private static final String[] TERMINAL = {"indexed", "deleted", "failed", "config_error", "download_failed", "superseded"};

    @Autowired
    TransactionTemplate tx;

    @Test
    void createdDocumentsShareOneDatasetCreatedOnFirstUse() {
        writeFile("hr/handbook.txt", "Holidays are 25 days a year.");
        writeFile("hr/policy.md", "# Policy\nBe kind.");
        long kb = knowledgeBase("Handbook");
        long first = document(kb, "Employee handbook", "hr/handbook.txt");
        long second = document(kb, "Policy", "hr/policy.md");

        Map<String, Object> job1 = awaitJob(first, TERMINAL);
        Map<String, Object> job2 = awaitJob(second, TERMINAL);
        assertThat(job1.get("status")).as("job %s", job1).isEqualTo("indexed");
        assertThat(job2.get("status")).as("job %s", job2).isEqualTo("indexed");

        assertThat(RAGFLOW.countRequests("POST", "/api/v1/datasets")).isEqualTo(1);
        List<Map<String, Object>> datasets = RAGFLOW.datasets();
        assertThat(datasets).hasSize(1);
        assertThat(datasets.get(0).get("name")).isEqualTo("Handbook");
        String datasetId = (String) datasets.get(0).get("id");
        assertThat(datasetOf(kb)).isEqualTo(datasetId);
        assertThat(jdbc.queryForObject("SELECT ragflow_dataset_id FROM knowledge_base WHERE id = ?", String.class, kb))
                .isEqualTo(datasetId);

        List<Map<String, Object>> docs = RAGFLOW.documents(datasetId);
        assertThat(docs).hasSize(2);
        Map<String, Object> sync = documentSync(first);
        assertThat(sync.get("status")).isEqualTo("indexed");
        assertThat(sync.get("run")).isEqualTo("DONE");
        assertThat((Integer) sync.get("chunk_count")).isPositive();
        String ragflowId = (String) sync.get("ragflow_document_id");
        Map<String, Object> doc = docs.stream().filter(d -> d.get("id").equals(ragflowId)).findFirst().orElseThrow();
        assertThat(doc.get("name")).isEqualTo("handbook.txt");
        assertThat(meta(doc)).containsEntry("external_id", String.valueOf(first))
                .containsEntry("knowledge_base_id", String.valueOf(kb))
                .containsEntry("title", "Employee handbook")
                .containsEntry("file_name", "handbook.txt")
                .containsKey("updated_at");
        assertThat(RAGFLOW.content(ragflowId)).isEqualTo("Holidays are 25 days a year.");
        assertThat((String) job1.get("rag_message")).contains(ragflowId).contains("chunks");
        // parsing was asked for explicitly (upload does not parse in RAGFlow)
        assertThat(RAGFLOW.countRequests("POST", "/api/v1/datasets/[^/]+/chunks")).isEqualTo(2);
        // every request carries the key, asks for uncompressed answers (app.ragflow.http-compression off) and
        // carries no cookie
        assertThat(RAGFLOW.wireMock().getAllServeEvents()).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getRequest().getHeader("Authorization")).isEqualTo("Bearer " + RagflowStub.API_KEY);
            assertThat(e.getRequest().containsHeader("Accept-Encoding")).as("Accept-Encoding of %s", e.getRequest().getUrl()).isFalse();
            assertThat(e.getRequest().containsHeader("Cookie")).isFalse();
        });
    }

    @Test
    void sameNameDatasetLeftByACrashedAttemptIsAdoptedNotDuplicated() {
        String existing = RAGFLOW.createDatasetDirectly("Contracts");
        long kb = knowledgeBase("Contracts");
        long doc = documentWithFile(kb, "NDA", "legal/nda.txt", "Mutual NDA");

        assertThat(awaitJob(doc, TERMINAL).get("status")).isEqualTo("indexed");
        assertThat(RAGFLOW.countRequests("POST", "/api/v1/datasets")).isZero();
        assertThat(RAGFLOW.datasets()).hasSize(1);
        assertThat(datasetOf(kb)).isEqualTo(existing);
    }

    @Test
    void updateReplacesTheOldDocumentWithoutDuplicate() {
        long kb = knowledgeBase("Reports");
        long doc = documentWithFile(kb, "Report", "a/report.txt", "version one");
        awaitJob(doc, TERMINAL);
        String oldId = (String) documentSync(doc).get("ragflow_document_id");

        writeFile("a/report-v2.txt", "version two");
        jdbc.update("UPDATE document SET file_path = 'a/report-v2.txt', title = 'Report v2' WHERE id = ?", doc);

        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE document_id = ? AND status = 'indexed'",
                Integer.class, doc) == 2);
        List<Map<String, Object>> docs = RAGFLOW.documents(datasetOf(kb));
        assertThat(docs).hasSize(1);
        Map<String, Object> current = docs.get(0);
        assertThat(current.get("id")).isNotEqualTo(oldId).isEqualTo(documentSync(doc).get("ragflow_document_id"));
        assertThat(RAGFLOW.content((String) current.get("id"))).isEqualTo("version two");
        assertThat(meta(current)).containsEntry("title", "Report v2").containsEntry("file_name", "report-v2.txt");
        assertThat(RAGFLOW.uploadCount()).isEqualTo(2);
    }

    @Test
    void unchangedContentIsNotUploadedAgainAndMetadataChangesAreAppliedInPlace() {
        long kb = knowledgeBase("Support");
        long doc = documentWithFile(kb, "FAQ", "faq.md", "# FAQ");
        awaitJob(doc, TERMINAL);
        String ragflowId = (String) documentSync(doc).get("ragflow_document_id");

        // same file, new title: metadata only
        jdbc.update("UPDATE document SET title = 'Frequently asked' WHERE id = ?", doc);
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE document_id = ? AND status = 'indexed'",
                Integer.class, doc) == 2);
        assertThat(latestJob(doc).get("rag_message").toString()).contains("upload skipped").contains("metadata updated");
        assertThat(RAGFLOW.uploadCount()).isEqualTo(1);
        Map<String, Object> stored = RAGFLOW.documents(datasetOf(kb)).get(0);
        assertThat(stored.get("id")).isEqualTo(ragflowId);
        assertThat(meta(stored)).containsEntry("title", "Frequently asked");

        // nothing changed at all: a requested sync sends nothing
        int before = RAGFLOW.requestCount();
        jdbc.queryForObject("SELECT ragsync_enqueue(?, ?, 'upsert', 'test')", Long.class, doc, kb);
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE document_id = ? AND status = 'indexed'",
                Integer.class, doc) == 3);
        assertThat(latestJob(doc).get("rag_message").toString()).contains("upload skipped").contains("metadata unchanged");
        assertThat(RAGFLOW.requestCount()).isEqualTo(before);
    }

    @Test
    void deleteRemovesTheDocumentAndDeletingAnAbsentDocumentIsANoOp() {
        writeFile("x/one.txt", "one");
        writeFile("x/two.txt", "two");
        long kb = knowledgeBase("Deletes");
        long one = document(kb, "One", "x/one.txt");
        long two = document(kb, "Two", "x/two.txt");
        awaitJob(one, TERMINAL);
        awaitJob(two, TERMINAL);
        String dataset = datasetOf(kb);

        jdbc.update("DELETE FROM document WHERE id = ?", one);
        assertThat(awaitJob(one, TERMINAL).get("status")).isEqualTo("deleted");
        assertThat(RAGFLOW.documents(dataset)).hasSize(1);
        assertThat(documentSync(one).get("status")).isEqualTo("deleted");

        // someone removed it by hand in RAGFlow already: still a clean delete
        RAGFLOW.deleteDocumentDirectly((String) documentSync(two).get("ragflow_document_id"));
        jdbc.update("DELETE FROM document WHERE id = ?", two);
        Map<String, Object> job = awaitJob(two, TERMINAL);
        assertThat(job.get("status")).isEqualTo("deleted");
        assertThat(job.get("retry_count")).isEqualTo(0);
        assertThat(RAGFLOW.documents(dataset)).isEmpty();
    }

    @Test
    void uploadWhoseAnswerWasLostLeavesNoDuplicateAfterRetry() {
        writeFile("lost/answer.txt", "stored but unanswered");
        RAGFLOW.loseUploadAnswers(1);
        long kb = knowledgeBase("Lost answers");
        long doc = document(kb, "Lost", "lost/answer.txt");

        assertThat(awaitJob(doc, TERMINAL).get("status")).isEqualTo("indexed");
        assertThat(RAGFLOW.uploadCount()).isEqualTo(2);
        List<Map<String, Object>> docs = RAGFLOW.documents(datasetOf(kb));
        assertThat(docs).hasSize(1);
        assertThat(docs.get(0).get("id")).isEqualTo(documentSync(doc).get("ragflow_document_id"));
        assertThat(meta(docs.get(0))).containsEntry("external_id", String.valueOf(doc));
    }

    /** A dataset made in RAGFlow and mapped to the knowledge base, as an earlier sync left it. */
    private String mappedDataset(long kb, String name) {
        String dataset = RAGFLOW.createDatasetDirectly(name);
        jdbc.update("INSERT INTO kb_dataset (knowledge_base_id, ragflow_dataset_id, dataset_name) VALUES (?, ?, ?)",
                kb, dataset, name);
        return dataset;
    }

    /** A document whose upload of report.txt a crash interrupted: RAGSync only knows it was uploading. */
    private long uploadingWhenCrashed(long kb, String dataset, String filePath) {
        return tx.execute(status -> {
            long id = document(kb, "Report", filePath);
            jdbc.update("INSERT INTO document_sync (document_id, knowledge_base_id, ragflow_dataset_id,"
                    + " ragflow_document_name, status, upload_pending) VALUES (?, ?, ?, 'report.txt', 'uploading', true)",
                    id, kb, dataset);
            return id;
        });
    }

    @Test
    void crashBetweenUploadAndStateWriteIsCleanedUpOnRetry() {
        // the state a crash right after the upload leaves: RAGFlow holds a copy without meta_fields (and a
        // rename of it), RAGSync only knows it was uploading under that name
        writeFile("crash/report.txt", "after the crash");
        long kb = knowledgeBase("Crashes");
        String dataset = mappedDataset(kb, "Crashes");
        RAGFLOW.uploadDirectly(dataset, "report.txt", "before the crash");
        RAGFLOW.uploadDirectly(dataset, "report.txt", "before the crash, second try");
        String unrelated = RAGFLOW.uploadDirectly(dataset, "other.txt", "not ours");
        long doc = uploadingWhenCrashed(kb, dataset, "crash/report.txt");

        assertThat(awaitJob(doc, TERMINAL).get("status")).isEqualTo("indexed");
        List<Map<String, Object>> docs = RAGFLOW.documents(dataset);
        assertThat(docs).extracting(d -> d.get("id"))
                .containsExactlyInAnyOrder(unrelated, documentSync(doc).get("ragflow_document_id"));
        assertThat(RAGFLOW.content((String) documentSync(doc).get("ragflow_document_id"))).isEqualTo("after the crash");
    }

    /**
     * RAGFlow deletes all or nothing: a leftover that vanishes between the listing and the delete (removed by hand,
     * or by a reconciliation) makes the delete answer code 102. Listed again on the retry, the rest go.
     */
    @Test
    void aLeftoverGoneBeforeItsDeleteIsListedAgainOnTheRetry() throws Exception {
        writeFile("vanishing/report.txt", "after the crash");
        long kb = knowledgeBase("Vanishing leftovers");
        String dataset = mappedDataset(kb, "Vanishing leftovers");
        String vanishing = RAGFLOW.uploadDirectly(dataset, "report.txt", "before the crash");
        RAGFLOW.uploadDirectly(dataset, "report.txt", "before the crash, second try");
        RagflowStub.Hold delete = RAGFLOW.holdNext("DELETE", "/api/v1/datasets/[^/]+/documents", false);
        long doc = uploadingWhenCrashed(kb, dataset, "vanishing/report.txt");

        delete.awaitHeld(java.time.Duration.ofSeconds(30));
        RAGFLOW.deleteDocumentDirectly(vanishing);
        delete.release();

        Map<String, Object> job = awaitJob(doc, TERMINAL);
        assertThat(job.get("status")).isEqualTo("indexed");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_dead_letter WHERE document_id = ?", Integer.class,
                doc)).isZero();
        assertThat(RAGFLOW.documents(dataset)).extracting(d -> d.get("id"))
                .containsExactly(documentSync(doc).get("ragflow_document_id"));
    }

    @Test
    void serverErrorsAreRetriedInPlaceThenSucceed() {
        // the upload uses up both of the job's in-place redeliveries (app.jobs.redelivery.maximum 2)...
        failUploads(2, 503);
        // ...then the metadata update meets one fault, which the request's own quick retry absorbs: its retries
        // count from zero, not from the job's redeliveries, and leave the job's count as it was
        failRequests("PUT", "/api/v1/datasets/[^/]+/documents/[^/]+", 1, 503);
        long kb = knowledgeBase("Flaky");
        long doc = documentWithFile(kb, "A", "flaky/a.txt", "flaky");

        Map<String, Object> job = awaitJob(doc, TERMINAL);
        assertThat(job.get("status")).isEqualTo("indexed");
        assertThat(job.get("retry_count")).isEqualTo(0);
        assertThat(RAGFLOW.uploadCount()).isEqualTo(3);
        assertThat(RAGFLOW.countRequests("PUT", "/api/v1/datasets/[^/]+/documents/[^/]+")).isEqualTo(2);
        assertThat(RAGFLOW.documents(datasetOf(kb))).hasSize(1);
    }

    @Test
    void persistentServerErrorsRescheduleTheJobWithBackoffUntilItSucceeds() {
        failUploads(4, 502);
        long kb = knowledgeBase("Flaky later");
        long doc = documentWithFile(kb, "B", "flaky/b.txt", "flaky b");

        Map<String, Object> job = awaitJob(doc, "indexed", "failed");
        assertThat(job.get("status")).isEqualTo("indexed");
        assertThat(job.get("retry_count")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job_log WHERE job_id = ? AND event = 'queued'",
                Integer.class, job.get("id"))).isEqualTo(1);
        // written with the job's return to the queue (ragsync_job_retry)
        assertThat(jdbc.queryForObject("SELECT message FROM sync_job_log WHERE job_id = ? AND event = 'queued'",
                String.class, job.get("id"))).contains("502").containsPattern("; retry 1/\\d+ at \\d{4}-\\d\\d-\\d\\d .*; now queued$");
        assertThat(RAGFLOW.documents(datasetOf(kb))).hasSize(1);
    }

    @Test
    void retriesRunOutIntoFailedWithADeadLetter() {
        failUploads(100, 503);
        long kb = knowledgeBase("Down");
        long doc = documentWithFile(kb, "C", "down/c.txt", "never");

        Map<String, Object> job = awaitJob(doc, TERMINAL);
        assertThat(job.get("status")).isEqualTo("failed");
        assertThat(job.get("retry_count")).isEqualTo(4);
        assertThat(job.get("next_retry_at")).isNull();
        assertThat(job.get("ended_at")).isNotNull();
        assertThat((String) job.get("last_error")).contains("gave up after 3 retries").contains("HTTP 503");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_dead_letter WHERE job_id = ?", Integer.class,
                job.get("id"))).isEqualTo(1);
        assertThat(documentSync(doc).get("status")).isEqualTo("failed");
    }

    @Test
    void missingFileAndPathsOutsideTheStorageRootAreDownloadFailed() {
        long kb = knowledgeBase("Bad paths");
        long missing = document(kb, "Missing", "nowhere/missing.txt");
        long traversal = document(kb, "Traversal", "../../etc/passwd");
        long absolute = document(kb, "Absolute", "/etc/passwd");

        for (long doc : new long[] {missing, traversal, absolute}) {
            Map<String, Object> job = awaitJob(doc, TERMINAL);
            assertThat(job.get("status")).as("doc %s", doc).isEqualTo("download_failed");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job_log WHERE job_id = ? AND event = 'download_failed'",
                    Integer.class, job.get("id"))).isEqualTo(1);
            assertThat(documentSync(doc).get("status")).isEqualTo("download_failed");
        }
        assertThat((String) latestJob(missing).get("last_error")).contains("file not found");
        assertThat((String) latestJob(traversal).get("last_error")).contains("escapes the storage root");
        assertThat((String) latestJob(absolute).get("last_error")).contains("relative to the storage root");
        assertThat(RAGFLOW.uploadCount()).isZero();
    }

    @Test
    void unsupportedFileTypeFailsWithoutAnUpload() {
        long kb = knowledgeBase("Binaries");
        long doc = documentWithFile(kb, "Tool", "bin/tool.exe", "MZ");

        Map<String, Object> job = awaitJob(doc, TERMINAL);
        assertThat(job.get("status")).isEqualTo("failed");
        assertThat((String) job.get("last_error")).contains("unsupported file type 'exe'");
        assertThat(job.get("retry_count")).isEqualTo(0);
        assertThat(RAGFLOW.uploadCount()).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_dead_letter WHERE job_id = ?", Integer.class,
                job.get("id"))).isEqualTo(1);
    }

    @Test
    void aParseStatusCheckedTwiceEndsTheJobOnce() {
        long kb = knowledgeBase("Checked twice");
        long doc = documentWithFile(kb, "Twice", "twice.txt", "checked by two instances");
        Map<String, Object> job = awaitJob(doc, TERMINAL);
        assertThat(job.get("status")).isEqualTo("indexed");
        Map<String, Object> sync = documentSync(doc);
        Object endedAt = job.get("ended_at");

        // a second check of the same parse (another instance claimed it while this one's check waited for a
        // worker) sees DONE again: the job keeps its first end, one 'indexed' log row, one report
        Map<String, Object> check = Map.of("job_id", job.get("id"), "document_id", doc, "knowledge_base_id", kb,
                "op", "upsert", "source", "backend", "target", "ragflow", "retry_count", 0,
                "ragflow_dataset_id", sync.get("ragflow_dataset_id"), "ragflow_document_id", sync.get("ragflow_document_id"),
                "parse_overdue", false);
        camel.createProducerTemplate().sendBody("direct:ragflow-check-parse", new java.util.HashMap<>(check));

        Map<String, Object> after = latestJob(doc);
        assertThat(after.get("status")).isEqualTo("indexed");
        assertThat(after.get("ended_at")).isEqualTo(endedAt);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job_log WHERE job_id = ? AND event = 'indexed'",
                Integer.class, job.get("id"))).isEqualTo(1);
        assertThat(documentSync(doc).get("status")).isEqualTo("indexed");
    }

    @Test
    void parseFailureEndsFailedWithRagflowsMessage() {
        long kb = knowledgeBase("Parse failures");
        long doc = documentWithFile(kb, "Broken", "parse-fail.txt", "RAGFlow cannot chunk this");

        Map<String, Object> job = awaitJob(doc, TERMINAL);
        assertThat(job.get("status")).isEqualTo("failed");
        assertThat((String) job.get("last_error")).contains("FAIL").contains("[ERROR]");
        Map<String, Object> sync = documentSync(doc);
        assertThat(sync.get("status")).isEqualTo("failed");
        assertThat(sync.get("run")).isEqualTo("FAIL");
    }

    @Test
    void deletingAKnowledgeBaseDeletesItsDataset() {
        long kb = knowledgeBase("Temporary");
        long doc = documentWithFile(kb, "One", "kb/one.txt", "one");
        awaitJob(doc, TERMINAL);
        String dataset = datasetOf(kb);

        jdbc.update("DELETE FROM knowledge_base WHERE id = ?", kb);
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE knowledge_base_id = ? AND op = 'delete_kb'"
                + " AND status = 'deleted'", Integer.class, kb) == 1);
        awaitJob(doc, TERMINAL);
        assertThat(RAGFLOW.datasets()).extracting(d -> d.get("id")).doesNotContain(dataset);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kb_dataset WHERE knowledge_base_id = ?", Integer.class, kb))
                .isZero();
        assertThat(latestJob(doc).get("status")).isEqualTo("deleted");
        assertThat(documentSync(doc).get("status")).isEqualTo("deleted");
    }

    @Test
    void eventsForOneDocumentCoalesceIntoOnePendingJob() {
        writeFile("c/v3.txt", "third");
        long kb = knowledgeBase("Coalesce");
        long doc = tx.execute(status -> {
            long id = document(kb, "v1", "c/v1.txt");
            jdbc.update("UPDATE document SET title = 'v2', file_path = 'c/v2.txt' WHERE id = ?", id);
            jdbc.update("UPDATE document SET title = 'v3', file_path = 'c/v3.txt' WHERE id = ?", id);
            return id;
        });
        Map<String, Object> job = awaitJob(doc, TERMINAL);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE document_id = ?", Integer.class, doc)).isEqualTo(1);
        assertThat(job.get("coalesced_count")).isEqualTo(2);
        assertThat(job.get("status")).isEqualTo("indexed");
        assertThat(RAGFLOW.uploadCount()).isEqualTo(1);
    }

    @Test
    void aSlowUploadDoesNotHoldBackTheJobsClaimedAfterIt() {
        long kb = knowledgeBase("Head of line");
        awaitJob(documentWithFile(kb, "first", "hol/first.txt", "maps the dataset"), "indexed");
        // the next upload takes 8 s, as a big file would; the hub runs 3 workers
        RAGFLOW.faults().slowUploads(1, 8000);
        long slow = documentWithFile(kb, "big", "hol/big.txt", "a big file");
        eventually(() -> "processing".equals(latestJob(slow).get("status")));
        List<Long> quick = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            quick.add(documentWithFile(kb, "quick " + i, "hol/quick" + i + ".txt", "small file " + i));
        }
        quick.forEach(doc -> assertThat(awaitJob(doc, TERMINAL).get("status")).isEqualTo("indexed"));
        // the two free workers ran them all while the big upload was still under way
        assertThat(latestJob(slow).get("status")).isEqualTo("processing");
        assertThat(awaitJob(slow, TERMINAL).get("status")).isEqualTo("indexed");
    }

    @Test
    void jobsAndParseChecksRunOnTheOneJobWorkersPool() {
        ExecutorService named = camel.getRegistry().lookupByNameAndType("job-workers", ExecutorService.class);
        assertThat(named).as("a pool in the registry (a thread pool profile would give each EIP its own)")
                .isInstanceOf(ThreadPoolExecutor.class);
        ThreadPoolExecutor pool = (ThreadPoolExecutor) named;
        assertThat(pool.getMaximumPoolSize()).as("app.jobs.parallelism").isEqualTo(3);
        long before = pool.getCompletedTaskCount();
        long kb = knowledgeBase("One pool");
        assertThat(awaitJob(documentWithFile(kb, "Doc", "pool/doc.txt", "one pool"), TERMINAL).get("status")).isEqualTo("indexed");
        // the job (upload, then parsing) and its parse check: two tasks on this pool
        eventually(() -> pool.getCompletedTaskCount() - before >= 2);
    }

    /**
     * The job poller claims again as soon as a worker is free, with the last round's claimed rows (a List) still
     * its body; camel-sql then tried to convert that body to a Map for every parameter of the claim, and each try
     * failed only after a search of every type converter: a third of the hub's CPU in a bulk sync.
     */
    @Test
    void claimingAgainSearchesNoTypeConverter() {
        try (ConverterSearches searches = ConverterSearches.count(camel, "job-poller",
                (type, value) -> Map.class.equals(type) && value instanceof List)) {
            long kb = knowledgeBase("Claim rounds");
            awaitJob(documentWithFile(kb, "first", "rounds/first.txt", "maps the dataset"), TERMINAL);
            List<Long> docs = tx.execute(status -> {
                List<Long> ids = new java.util.ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    ids.add(documentWithFile(kb, "doc " + i, "rounds/doc" + i + ".txt", "round " + i));
                }
                return ids;
            });
            docs.forEach(doc -> assertThat(awaitJob(doc, TERMINAL).get("status")).isEqualTo("indexed"));
            // ten jobs on three workers: the poller claimed in several rounds of its loop
            assertThat(searches.searches()).isZero();
        }
    }

    @Test
    void updatesOfUnrelatedColumnsDoNotEnqueue() {
        long kb = knowledgeBase("Unrelated");
        long doc = documentWithFile(kb, "Doc", "u/doc.txt", "text");
        awaitJob(doc, TERMINAL);
        jdbc.update("UPDATE document SET updated_at = now() + interval '1 minute' WHERE id = ?", doc);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE document_id = ?", Integer.class, doc)).isEqualTo(1);
    }

    @Test
    void expiredLeaseOfADeadInstanceIsRecoveredAndTheJobCompletes() {
        writeFile("lease/doc.txt", "the instance died holding this");
        long kb = knowledgeBase("Leases");
        long doc = tx.execute(status -> {
            long id = document(kb, "Doc", "lease/doc.txt");
            jdbc.update("UPDATE sync_job SET status = 'processing', phase = 'sync', claimed_by = 'dead-instance',"
                    + " started_at = now() - interval '1 hour', lease_until = now() - interval '1 minute'"
                    + " WHERE document_id = ?", id);
            return id;
        });

        Map<String, Object> job = awaitJob(doc, "indexed");
        assertThat(job.get("retry_count")).isEqualTo(1);
        assertThat(job.get("claimed_by")).isEqualTo("test-instance-1");
        assertThat(jdbc.queryForObject("SELECT message FROM sync_job_log WHERE job_id = ? AND event = 'lease_expired'",
                String.class, job.get("id"))).contains("dead-instance");
    }

    private void failUploads(int times, int status) {
        failRequests("POST", "/api/v1/datasets/[^/]+/documents", times, status);
    }

    /** The next {@code times} requests of this method and path answer {@code status} before RAGFlow does anything. */
    private void failRequests(String method, String pathRegex, int times, int status) {
        String scenario = "failing " + method + " " + pathRegex;
        String state = STARTED;
        for (int i = 1; i <= times; i++) {
            String next = i == times ? "recovered" : "failure-" + i;
            RAGFLOW.wireMock().stubFor(request(method, urlPathMatching(pathRegex)).atPriority(1)
                    .inScenario(scenario).whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(status).withBody("<html>" + status + "</html>"))
                    .willSetStateTo(next));
            state = next;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> meta(Map<String, Object> ragflowDocument) {
        return (Map<String, Object>) ragflowDocument.get("meta_fields");
    }
}
