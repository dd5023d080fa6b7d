package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.support.HubTestSupport;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Guarded pruning (routes/targets/ragflow/ragflow-reconcile-repair.camel.yaml, ragflow-reconcile-holds.camel.yaml):
 * a reconciliation deletes at most app.reconcile.max-delete-percent (10) of a dataset and nothing from a partial
 * listing; what it held back waits in reconcile_hold until the operator approves it.
 */
class ReconcileGuardTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOUR = 3_600_000L;

    @SuppressWarnings("unchecked")
    private Map<String, Object> reconcileLine(boolean dryRun) throws Exception {
        HttpResponse<String> answer = httpPost("/api/reconcile?dryRun=" + dryRun, "");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Map<String, Object> report = JSON.readValue(answer.body(), Map.class);
        return ((List<Map<String, Object>>) report.get("datasets")).get(0);
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
        assertThat(httpPost("/api/reconcile/holds/" + id + "/approve", "").statusCode()).isEqualTo(404);
    }

    @Test
    void aFailedListingPageDeletesAndEnqueuesNothing() throws Exception {
        long kb = knowledgeBase("Partial");
        long doc = documentWithFile(kb, "Real", "partial/real.txt", "real");
        awaitJob(doc, "indexed");
        String dataset = datasetOf(kb);
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
