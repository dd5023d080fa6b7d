package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.support.HubTestSupport;
import io.ragsync.support.RagflowStub;
import io.ragsync.support.TestFiles;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation (routes/targets/ragflow/ragflow-reconcile.camel.yaml, its repair in
 * ragflow-reconcile-repair.camel.yaml): a dry run reports the drift and changes
 * nothing; a real run removes orphans in all-or-nothing batches, re-uploads missing and stale documents
 * through the job queue, and re-creates a dataset deleted by hand. Pruning is guarded: more than
 * app.reconcile.max-delete-percent (10) of a dataset, or anything from a partial view, waits in reconcile_hold
 * for the operator's approval (ragflow-reconcile-holds.camel.yaml).
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
        // a swap uploads the new version beside the old one, so RAGFlow may name it stale(1).txt
        assertThat(held).extracting(d -> d.get("name").toString().replaceFirst("\\(\\d+\\)(\\.[^.]+)$", "$1"))
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
        String dataset = datasetWithOneDocument("Many orphans");
        orphans(dataset, 150);
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

    /**
     * A document re-synced while its dataset is being listed: the plan was made from the rows read before, yet
     * the new copy is neither deleted as an orphan nor uploaded once more as missing.
     */
    @Test
    void aDocumentSyncedDuringTheListingIsLeftAsItsJobLeftIt() throws Exception {
        long kb = knowledgeBase("Busy meanwhile");
        long doc = documentWithFile(kb, "Doc", "meanwhile/v1.txt", "the first version");
        awaitJob(doc, "indexed");
        String dataset = datasetOf(kb);
        String first = (String) documentSync(doc).get("ragflow_document_id");
        awaitQuiet();
        RagflowStub.Hold listing = RAGFLOW.holdNext("GET", "/api/v1/datasets/[^/]+/documents", false);
        CompletableFuture<Map<String, Object>> run = CompletableFuture.supplyAsync(() -> {
            try {
                return reconcileLine(false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        listing.awaitHeld(PATIENCE);
        // the backend side is read; now the document changes and its job swaps the copy
        TestFiles.write(STORAGE, "meanwhile/v2.txt", "the second version");
        jdbc.update("UPDATE document SET title = 'Doc v2', file_path = 'meanwhile/v2.txt' WHERE id = ?", doc);
        eventually(() -> "indexed".equals(latestJob(doc).get("status"))
                && !first.equals(documentSync(doc).get("ragflow_document_id")));
        String second = (String) documentSync(doc).get("ragflow_document_id");
        long uploads = RAGFLOW.uploadCount();
        listing.release();
        Map<String, Object> line = run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        approveHolds();
        awaitQuiet();

        assertThat(RAGFLOW.documents(dataset)).extracting(d -> d.get("id")).containsExactly(second);
        assertThat(documentSync(doc)).containsEntry("ragflow_document_id", second).containsEntry("status", "indexed");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE source = 'reconcile'", Integer.class))
                .as("report %s", line).isZero();
        assertThat(RAGFLOW.uploadCount()).isEqualTo(uploads);
    }

    /** The knowledge base's RAGFlow dataset, holding one indexed document. */
    private String datasetWithOneDocument(String name) {
        long kb = knowledgeBase(name);
        awaitJob(documentWithFile(kb, "Real", "one/real.txt", "real"), "indexed");
        return datasetOf(kb);
    }

    /** The dataset's line of a reconciliation's report (one dataset). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> reconcileLine(boolean dryRun) throws Exception {
        return ((List<Map<String, Object>>) reconcile(dryRun).get("datasets")).get(0);
    }

    private List<Long> mappedDocuments(long kb, int n) {
        List<Long> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            docs.add(documentWithFile(kb, "Doc " + i, "guard/doc" + i + ".txt", "content " + i));
        }
        docs.forEach(doc -> awaitJob(doc, "indexed"));
        return docs;
    }

    private List<String> orphans(String dataset, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = RAGFLOW.uploadDirectly(dataset, "orphan" + i + ".txt", "left behind " + i);
            RAGFLOW.backdate(id, HOUR);
            ids.add(id);
        }
        return ids;
    }

    private long deletes() {
        return RAGFLOW.countRequests("DELETE", "/api/v1/datasets/[^/]+/documents");
    }

    @Test
    @SuppressWarnings("unchecked")
    void moreOrphansThanTheLimitAreHeldUntilTheOperatorApproves() throws Exception {
        long kb = knowledgeBase("Guarded");
        List<Long> docs = mappedDocuments(kb, 20);
        String dataset = datasetOf(kb);
        List<String> orphans = orphans(dataset, 5);

        Map<String, Object> dry = reconcileLine(true);
        assertThat(dry).containsEntry("held", true).containsEntry("holdReason", "over-limit")
                .containsEntry("wouldDelete", 5).containsEntry("deleteLimit", 2);

        Map<String, Object> line = reconcileLine(false);
        assertThat(line).containsEntry("held", true).containsEntry("holdReason", "over-limit");
        assertThat(RAGFLOW.documents(dataset)).hasSize(25);
        assertThat(deletes()).isZero();
        List<Map<String, Object>> holds = JSON.readValue(httpGet("/api/reconcile/holds").body(), List.class);
        assertThat(holds).hasSize(1);
        assertThat(holds.get(0)).containsEntry("orphanCount", 5).containsEntry("listed", 25)
                .containsEntry("reason", "over-limit").containsEntry("datasetId", dataset);
        assertThat((List<Map<String, Object>>) holds.get(0).get("orphans")).extracting(o -> o.get("id"))
                .containsExactlyInAnyOrderElementsOf(orphans);
        // a second run replaces the open hold rather than adding one
        reconcileLine(false);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM reconcile_hold", Integer.class)).isEqualTo(1);

        // one held orphan is mapped to a document after the hold: approval keeps it
        String remapped = orphans.get(0);
        jdbc.update("UPDATE document_sync SET ragflow_document_id = ? WHERE document_id = ?", remapped, docs.get(0));
        int id = ((Number) holds.get(0).get("id")).intValue();
        HttpResponse<String> approved = httpPost("/api/reconcile/holds/" + id + "/approve", "");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(JSON.readValue(approved.body(), Map.class)).containsEntry("deleted", 4).containsEntry("kept", 1);

        List<Object> left = RAGFLOW.documents(dataset).stream().map(d -> d.get("id")).toList();
        assertThat(left).hasSize(21).contains(remapped).doesNotContainAnyElementsOf(orphans.subList(1, 5));
        assertThat(jdbc.queryForMap("SELECT approved_at IS NOT NULL AS approved, approved_by, deleted_count"
                + " FROM reconcile_hold WHERE id = ?", id))
                .containsEntry("approved", true).containsEntry("deleted_count", 4);
        assertThat(JSON.readValue(httpGet("/api/reconcile/holds").body(), List.class)).isEmpty();
        HttpResponse<String> again = httpPost("/api/reconcile/holds/" + id + "/approve", "");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(404);
    }

    /** n orphans in the dataset and the open hold of them a held reconciliation leaves; returns the hold's id. */
    private long heldOrphans(String dataset, int n) throws Exception {
        List<Map<String, Object>> held = orphans(dataset, n).stream().map(id -> Map.<String, Object>of("id", id)).toList();
        return jdbc.queryForObject("INSERT INTO reconcile_hold (knowledge_base_id, ragflow_dataset_id, orphans,"
                + " orphan_count, listed, max_delete_percent, reason, detail) SELECT knowledge_base_id, ?,"
                + " CAST(? AS jsonb), ?, ?, 10, 'over-limit', 'held for the test' FROM kb_dataset"
                + " WHERE ragflow_dataset_id = ? RETURNING id", Long.class, dataset,
                JSON.writeValueAsString(held), n, n + 1, dataset);
    }

    @Test
    void anApprovalWhileAReconciliationRunsIsRefusedAndDeletesNothing() throws Exception {
        String dataset = datasetWithOneDocument("Approval refused");
        long hold = heldOrphans(dataset, 2);
        jdbc.update("INSERT INTO ragsync_singleton_lease (name, holder, lease_until) VALUES ('reconcile', 'other-instance', now() + interval '1 minute')");
        try {
            HttpResponse<String> refused = httpPost("/api/reconcile/holds/" + hold + "/approve", "");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        } finally {
            jdbc.update("DELETE FROM ragsync_singleton_lease");
        }
        assertThat(RAGFLOW.documents(dataset)).hasSize(3);
        assertThat(deletes()).isZero();
        assertThat(jdbc.queryForObject("SELECT approved_at IS NULL FROM reconcile_hold WHERE id = ?", Boolean.class, hold))
                .isTrue();

        approveHolds();
        assertThat(RAGFLOW.documents(dataset)).hasSize(1);
    }

    @Test
    void aReconciliationWhileAnApprovalDeletesIsRefused() throws Exception {
        String dataset = datasetWithOneDocument("Approval running");
        long hold = heldOrphans(dataset, 2);
        RagflowStub.Hold deleting = RAGFLOW.holdNext("DELETE", "/api/v1/datasets/[^/]+/documents", false);
        CompletableFuture<HttpResponse<String>> approval = CompletableFuture.supplyAsync(() -> {
            try {
                return httpPost("/api/reconcile/holds/" + hold + "/approve", "");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            deleting.awaitHeld(PATIENCE);
            HttpResponse<String> reconcile = httpPost("/api/reconcile?dryRun=false", "");
            assertThat(reconcile.statusCode()).as(reconcile.body()).isEqualTo(409);
        } finally {
            deleting.release();
        }
        assertThat(approval.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(RAGFLOW.documents(dataset)).hasSize(1);
        assertThat(reconcile(false)).containsEntry("status", "done");
    }

    @Test
    void aFailedListingPageDeletesAndEnqueuesNothing() throws Exception {
        String dataset = datasetWithOneDocument("Partial");
        orphans(dataset, 150);
        RAGFLOW.faults().failListingPage(2);
        try {
            Map<String, Object> line = reconcileLine(false);
            assertThat(line).containsEntry("held", true).containsEntry("holdReason", "listing-incomplete");
        } finally {
            RAGFLOW.faults().clear();
        }
        assertThat(RAGFLOW.documents(dataset)).hasSize(151);
        assertThat(deletes()).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE source = 'reconcile'", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT reason FROM reconcile_hold WHERE approved_at IS NULL", String.class))
                .isEqualTo("listing-incomplete");
    }

    @Test
    void anEmptiedKnowledgeBaseDeletesNothing() throws Exception {
        long kb = knowledgeBase("Emptied");
        List<Long> docs = mappedDocuments(kb, 2);
        String dataset = datasetOf(kb);
        // the source table emptied by mistake, without the delete events
        jdbc.update("ALTER TABLE document DISABLE TRIGGER document_deleted");
        try {
            jdbc.update("DELETE FROM document WHERE knowledge_base_id = ?", kb);
        } finally {
            jdbc.update("ALTER TABLE document ENABLE TRIGGER document_deleted");
        }
        Map<String, Object> line = reconcileLine(false);
        assertThat(line).containsEntry("held", true).containsEntry("holdReason", "source-empty");
        assertThat(RAGFLOW.documents(dataset)).hasSize(docs.size());
        assertThat(deletes()).isZero();
    }

    @Test
    void orphansWithinTheLimitAreDeletedWithoutAHold() throws Exception {
        long kb = knowledgeBase("Within");
        mappedDocuments(kb, 20);
        String dataset = datasetOf(kb);
        String orphan = orphans(dataset, 1).get(0);

        Map<String, Object> line = reconcileLine(false);
        assertThat(line).containsEntry("held", false).containsEntry("wouldDelete", 1);
        assertThat(RAGFLOW.documents(dataset)).hasSize(20).extracting(d -> d.get("id")).doesNotContain(orphan);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM reconcile_hold", Integer.class)).isZero();
    }
}
