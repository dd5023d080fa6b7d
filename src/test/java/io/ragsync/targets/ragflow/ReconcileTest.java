package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.support.HubTestSupport;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation (routes/targets/ragflow/ragflow-reconcile.camel.yaml, its repair in
 * ragflow-reconcile-repair.camel.yaml): a dry run reports the drift and changes
 * nothing; a real run removes orphans in all-or-nothing batches (more than the allowed share only once approved,
 * ReconcileGuardTest), re-uploads missing and stale documents
 * through the job queue, and re-creates a dataset deleted by hand.
 */
class ReconcileTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOUR = 3_600_000L;

    @SuppressWarnings("unchecked")
    private Map<String, Object> reconcile(boolean dryRun) throws Exception {
        HttpResponse<String> answer = httpPost("/api/reconcile?dryRun=" + dryRun, "");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readValue(answer.body(), Map.class);
    }

    /** Approves the held-back deletions (their share of the dataset is above the limit). */
    private void approveHolds() throws Exception {
        for (Long id : jdbc.queryForList("SELECT id FROM reconcile_hold WHERE approved_at IS NULL", Long.class)) {
            HttpResponse<String> answer = httpPost("/api/reconcile/holds/" + id + "/approve", "");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void driftIsReportedByADryRunAndRepairedByARealRun() throws Exception {
        long kb = knowledgeBase("Drift");
        long kept = documentWithFile(kb, "Kept", "drift/kept.txt", "kept as is");
        long lost = documentWithFile(kb, "Lost", "drift/lost.txt", "deleted by hand in RAGFlow");
        long stale = documentWithFile(kb, "Stale", "drift/stale.txt", "the current content");
        long gone = documentWithFile(kb, "Gone", "drift/gone.txt", "deleted locally while the hub was not listening");
        for (long doc : new long[] {kept, lost, stale, gone}) {
            awaitJob(doc, "indexed");
        }
        String dataset = datasetOf(kb);
        String keptId = (String) documentSync(kept).get("ragflow_document_id");
        String staleId = (String) documentSync(stale).get("ragflow_document_id");
        String goneId = (String) documentSync(gone).get("ragflow_document_id");
        // drift: a copy deleted by hand, a copy whose content differs, a document deleted without an event,
        // a lost upload's renamed leftover and a duplicate carrying a foreign external id
        RAGFLOW.deleteDocumentDirectly((String) documentSync(lost).get("ragflow_document_id"));
        RAGFLOW.replaceContentDirectly(staleId, "an older content");
        jdbc.update("ALTER TABLE document DISABLE TRIGGER document_deleted");
        try {
            jdbc.update("DELETE FROM document WHERE id = ?", gone);
        } finally {
            jdbc.update("ALTER TABLE document ENABLE TRIGGER document_deleted");
        }
        String leftover = RAGFLOW.uploadDirectly(dataset, "kept.txt", "kept as is");
        String foreign = RAGFLOW.uploadDirectlyWithMeta(dataset, "other.txt", "someone else's", Map.of("external_id", "999999"));
        String young = RAGFLOW.uploadDirectly(dataset, "in-flight.txt", "an upload still being tagged");
        RAGFLOW.backdate(leftover, HOUR);
        RAGFLOW.backdate(foreign, HOUR);
        assertThat(RAGFLOW.documents(dataset)).hasSize(6);
        int requestsBefore = RAGFLOW.requestCount();
        long writesBefore = RAGFLOW.countRequests("DELETE", ".*") + RAGFLOW.uploadCount();

        Map<String, Object> report = reconcile(true);
        assertThat(report).containsEntry("dryRun", true).containsEntry("missing", 1).containsEntry("stale", 1)
                .containsEntry("orphans", 3);
        Map<String, Object> line = ((List<Map<String, Object>>) report.get("datasets")).get(0);
        assertThat((List<Object>) line.get("missing")).containsExactly((int) lost);
        assertThat((List<Object>) line.get("stale")).containsExactly((int) stale);
        assertThat((List<Map<String, Object>>) line.get("orphans")).extracting(o -> o.get("id"))
                .containsExactlyInAnyOrder(goneId, leftover, foreign);
        // a dry run only lists
        assertThat(RAGFLOW.documents(dataset)).hasSize(6);
        assertThat(RAGFLOW.countRequests("DELETE", ".*") + RAGFLOW.uploadCount()).isEqualTo(writesBefore);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE source = 'reconcile'", Integer.class)).isZero();
        assertThat(RAGFLOW.requestCount() - requestsBefore).isEqualTo(2);

        report = reconcile(false);
        assertThat(report).containsEntry("dryRun", false).containsEntry("missing", 1).containsEntry("stale", 1)
                .containsEntry("orphans", 3);
        // 3 orphans of 6 documents: held back for the operator
        assertThat(RAGFLOW.documents(dataset)).extracting(d -> d.get("id")).contains(goneId, leftover, foreign);
        approveHolds();
        // re-uploads go through the queue
        assertThat(jdbc.queryForList("SELECT document_id FROM sync_job WHERE source = 'reconcile'", Long.class))
                .containsExactlyInAnyOrder(lost, stale);
        awaitJob(lost, "indexed");
        awaitJob(stale, "indexed");
        awaitQuiet();

        List<Map<String, Object>> held = RAGFLOW.documents(dataset);
        assertThat(held).extracting(d -> d.get("name"))
                .containsExactlyInAnyOrder("kept.txt", "lost.txt", "stale.txt", "in-flight.txt");
        assertThat(held).extracting(d -> d.get("id")).contains(keptId, young).doesNotContain(goneId, leftover, foreign, staleId);
        assertThat(documentSync(gone)).containsEntry("status", "deleted").containsEntry("ragflow_document_id", null);
        String newStaleId = (String) documentSync(stale).get("ragflow_document_id");
        assertThat(RAGFLOW.content(newStaleId)).isEqualTo("the current content");
        // a second run finds nothing left to do (the young untagged copy is still within its grace period)
        report = reconcile(false);
        assertThat(report).containsEntry("missing", 0).containsEntry("stale", 0).containsEntry("orphans", 0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void unchangedDocumentsWhoseContentHashMatchesAreNotUploadedAgain() throws Exception {
        long kb = knowledgeBase("Unchanged");
        StringBuilder longer = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            longer.append(String.format("line %02d of a document longer than XXH3's 240-byte short-input path\n", i));
        }
        long hello = documentWithFile(kb, "Hello", "unchanged/hello.txt", "hello\n");
        long big = documentWithFile(kb, "Longer", "unchanged/longer.txt", longer.toString());
        long edited = documentWithFile(kb, "Edited", "unchanged/edited.txt", "hello\n");
        for (long doc : new long[] {hello, big, edited}) {
            awaitJob(doc, "indexed");
        }
        // RAGFlow's listing carries xxhash.xxh128(bytes).hexdigest(), here as Python's xxhash 3.0 prints it
        Map<String, String> hashes = new java.util.HashMap<>();
        RAGFLOW.documents(datasetOf(kb)).forEach(d -> hashes.put((String) d.get("name"), (String) d.get("content_hash")));
        assertThat(hashes).containsEntry("hello.txt", "6bba86c7e069f56d5a10b435f1c8e49c")
                .containsEntry("longer.txt", "16f6d98b64e332a8946a264a60e152ea");
        // the same size, other bytes: only the hash tells them apart
        RAGFLOW.replaceContentDirectly((String) documentSync(edited).get("ragflow_document_id"), "jello\n");
        long uploads = RAGFLOW.uploadCount();

        Map<String, Object> report = reconcile(false);
        assertThat(report).containsEntry("missing", 0).containsEntry("stale", 1).containsEntry("orphans", 0);
        Map<String, Object> line = ((List<Map<String, Object>>) report.get("datasets")).get(0);
        assertThat((List<Object>) line.get("stale")).containsExactly((int) edited);
        awaitJob(edited, "indexed");
        awaitQuiet();
        assertThat(RAGFLOW.uploadCount()).isEqualTo(uploads + 1);
        assertThat(jdbc.queryForList("SELECT document_id FROM sync_job WHERE source = 'reconcile'", Long.class))
                .containsExactly(edited);
        assertThat(RAGFLOW.content((String) documentSync(edited).get("ragflow_document_id"))).isEqualTo("hello\n");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDatasetDeletedByHandIsRecreatedWithAllItsDocuments() throws Exception {
        long kb = knowledgeBase("Wiped");
        long a = documentWithFile(kb, "A", "wiped/a.txt", "alpha");
        long b = documentWithFile(kb, "B", "wiped/b.txt", "beta");
        awaitJob(a, "indexed");
        awaitJob(b, "indexed");
        String old = datasetOf(kb);
        RAGFLOW.deleteDatasetDirectly(old);

        Map<String, Object> dry = reconcile(true);
        assertThat(dry).containsEntry("datasetsRecreated", 1);
        assertThat(datasetOf(kb)).isEqualTo(old);

        Map<String, Object> report = reconcile(false);
        assertThat(report).containsEntry("datasetsRecreated", 1);
        Map<String, Object> line = ((List<Map<String, Object>>) report.get("datasets")).get(0);
        assertThat((List<Object>) line.get("reuploaded")).containsExactlyInAnyOrder((int) a, (int) b);
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE source = 'reconcile' AND status = 'indexed'",
                Integer.class) == 2);
        String fresh = datasetOf(kb);
        assertThat(fresh).isNotEqualTo(old);
        assertThat(RAGFLOW.datasets()).hasSize(1);
        assertThat(RAGFLOW.documents(fresh)).extracting(d -> d.get("name")).containsExactlyInAnyOrder("a.txt", "b.txt");
    }

    @Test
    void orphanBatchesAreAtMostOneHundredAndARefusedBatchFallsBackToSingleDeletes() throws Exception {
        long kb = knowledgeBase("Many orphans");
        long doc = documentWithFile(kb, "Real", "many/real.txt", "real");
        awaitJob(doc, "indexed");
        String dataset = datasetOf(kb);
        for (int i = 0; i < 150; i++) {
            RAGFLOW.backdate(RAGFLOW.uploadDirectly(dataset, "junk" + i + ".txt", "junk " + i), HOUR);
        }
        Map<String, Object> report = reconcile(false);
        assertThat(report).containsEntry("orphans", 150).containsEntry("datasetsHeld", 1);
        approveHolds();
        assertThat(RAGFLOW.documents(dataset)).hasSize(1);
        assertThat(RAGFLOW.countRequests("DELETE", "/api/v1/datasets/[^/]+/documents")).isEqualTo(2);
        // listing was paged: 151 documents at 100 per page
        assertThat(RAGFLOW.countRequests("GET", "/api/v1/datasets/[^/]+/documents")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aSecondReconcileWhileOneRunsIsRefused() throws Exception {
        jdbc.update("INSERT INTO ragsync_singleton_lease (name, holder, lease_until) VALUES ('reconcile', 'other-instance', now() + interval '1 minute')");
        try {
            HttpResponse<String> answer = httpPost("/api/reconcile?dryRun=true", "");
            assertThat(answer.statusCode()).isEqualTo(409);
            assertThat(answer.body()).contains("\"status\":\"busy\"");
        } finally {
            jdbc.update("DELETE FROM ragsync_singleton_lease");
        }
        assertThat(reconcile(true)).containsEntry("status", "done");
    }
}
