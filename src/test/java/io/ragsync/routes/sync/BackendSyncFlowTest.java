package io.ragsync.routes.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.HubTestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Backend document create/update/delete reaching RAGFlow through triggers, the job queue and the RAGFlow routes. */
class BackendSyncFlowTest extends HubTestSupport {

    @Test
    void createdDocumentsShareOneDatasetCreatedOnFirstUse() {
        writeFile("hr/handbook.txt", "Holidays are 25 days a year.");
        writeFile("hr/policy.md", "# Policy\nBe kind.");
        long kb = knowledgeBase("Handbook");
        long first = document(kb, "Employee handbook", "hr/handbook.txt");
        long second = document(kb, "Policy", "hr/policy.md");

        Map<String, Object> job1 = awaitJob(first, "indexed", "failed", "config_error", "download_failed");
        Map<String, Object> job2 = awaitJob(second, "indexed", "failed", "config_error", "download_failed");
        assertThat(job1.get("status")).as("job %s", job1).isEqualTo("indexed");
        assertThat(job2.get("status")).isEqualTo("indexed");

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
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) doc.get("meta_fields");
        assertThat(meta).containsEntry("external_id", String.valueOf(first))
                .containsEntry("knowledge_base_id", String.valueOf(kb))
                .containsEntry("title", "Employee handbook")
                .containsEntry("file_name", "handbook.txt")
                .containsKey("updated_at");
        assertThat(RAGFLOW.content(ragflowId)).isEqualTo("Holidays are 25 days a year.");
        assertThat((String) job1.get("rag_message")).contains(ragflowId).contains("chunks");
    }
}
