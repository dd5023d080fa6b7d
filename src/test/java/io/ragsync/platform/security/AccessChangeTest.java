package io.ragsync.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.HubTestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A change of who may see a document (its roles, its knowledge base's roles or tenant) is captured by the triggers
 * like any change and reaches each target as metadata only: RAGFlow's meta_fields, the local chunks' columns.
 */
class AccessChangeTest extends HubTestSupport {

    @Test
    @SuppressWarnings("unchecked")
    void aDocumentsRolesReachRagflowWithoutAnUpload() {
        long kb = knowledgeBase("access-ragflow");
        long doc = documentWithFile(kb, "Salaries", "access/salaries.txt", "The salary grid of 2026.");
        awaitJob(doc, "indexed");
        long uploads = RAGFLOW.uploadCount();
        long firstJob = (Long) latestJob(doc).get("id");

        jdbc.update("UPDATE document SET allowed_roles = ARRAY['hr'] WHERE id = ?", doc);
        Map<String, Object> job = awaitJob(doc, "indexed");

        assertThat((Long) job.get("id")).isGreaterThan(firstJob);
        assertThat((List<String>) ragflowMetaFields(doc).get("roles")).containsExactly("hr");
        assertThat(RAGFLOW.uploadCount()).isEqualTo(uploads);
    }

    @Test
    void aKnowledgeBasesTenantAndRolesReachEveryLocalChunkWithoutNewEmbeddings() {
        long kb = localKnowledgeBase("access-local");
        long doc = documentWithFile(kb, "Handbook", "access/handbook.txt", "Holidays are booked in the portal.");
        awaitJob(doc, "indexed");
        long firstJob = (Long) latestJob(doc).get("id");
        List<String> embeddings = jdbc.queryForList("SELECT content_hash || ':' || embedding_model FROM index_chunk"
                + " WHERE source_type = 'document' AND source_id = ? ORDER BY chunk_index", String.class, String.valueOf(doc));

        jdbc.update("UPDATE knowledge_base SET tenant = 'acme', allowed_roles = ARRAY['staff'] WHERE id = ?", kb);
        eventually(() -> (Long) latestJob(doc).get("id") > firstJob && "indexed".equals(latestJob(doc).get("status")));

        assertThat(jdbc.queryForObject("SELECT count(*) FROM index_chunk WHERE source_type = 'document' AND source_id = ?"
                + " AND tenant = 'acme' AND allowed_roles = ARRAY['staff']", Integer.class, String.valueOf(doc)))
                .isEqualTo(embeddings.size()).isPositive();
        assertThat(jdbc.queryForList("SELECT content_hash || ':' || embedding_model FROM index_chunk"
                + " WHERE source_type = 'document' AND source_id = ? ORDER BY chunk_index", String.class, String.valueOf(doc)))
                .isEqualTo(embeddings);
        assertThat(latestJob(doc).get("rag_message").toString()).contains("embeddings computed 0");
    }
}
