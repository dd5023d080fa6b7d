package io.ragsync.sources.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A REST source's daily document on the local target: indexed as the source chunked its items (every item, no
 * cap, whatever the rendered file's size), each chunk with the source's tenant and roles.
 */
class RestSourceLocalIndexTest extends RestSourceTestSupport {

    /** A source of tenant-a whose knowledge base is on the local target. */
    private long localSource(String title, Map<String, Object> config) throws Exception {
        long source = createSource(title, config);
        long kb = localKnowledgeBase(title);
        jdbc.update("UPDATE kb_sources SET knowledge_base_id = ? WHERE id = ?", kb, source);
        return source;
    }

    private long dailyDocument(long source) {
        return jdbc.queryForObject("SELECT document_id FROM kb_rest_documents WHERE source_id = ?", Long.class, source);
    }

    @Test
    void everyItemOfA250ItemDayIsIndexedAndTheDocumentIsIndexed() throws Exception {
        API.addProducts(250 - API.products().size());
        Map<String, Object> config = productsConfig();
        config.put("defaultPageSize", 50);
        long source = localSource("Catalogue", config);

        pullUntilDone(source, 10);
        assertThat(chunks(source)).isEqualTo(250);
        long doc = dailyDocument(source);
        eventually(() -> {
            Map<String, Object> job = latestJob(doc);
            return !List.of("queued", "processing").contains(job.get("status"))
                    && jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE document_id = ? AND status"
                    + " IN ('queued', 'processing')", Integer.class, doc) == 0;
        });

        assertThat(latestJob(doc).get("status")).isEqualTo("indexed");
        JsonNode status = JSON.readTree(httpGet("/api/documents/" + doc + "/sync-status").body());
        assertThat(status.get("status").asText()).isEqualTo("indexed");
        assertThat(status.get("chunkCount").asInt()).isEqualTo(250);
        List<String> contents = jdbc.queryForList("SELECT content FROM index_chunk WHERE source_id = ?", String.class,
                String.valueOf(doc));
        assertThat(contents).hasSize(250);
        for (int i = 1; i <= 250; i++) {
            String code = "PRD-" + (1000 + i) + ".";
            assertThat(contents).as("item %s", i).anyMatch(c -> c.contains(code));
        }

        // the last item is found by retrieval, with its item id, by a caller of the source's tenant and role
        String reader = apiKey("catalogue-reader-" + System.nanoTime(), "tenant-a", List.of("member"),
                List.of("retrieve"), false);
        JsonNode found = retrieve(doc, "Batch code PRD-1250", Map.of("itemId", "250"), reader);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).get("content").asText()).contains("PRD-1250");
    }

    @Test
    void restChunksCarryTheSourcesTenantAndRoles() throws Exception {
        long source = localSource("Orders", new java.util.LinkedHashMap<>(Map.of("baseUrl", API.baseUrl() + "/orders",
                "cursorParam", "cursor", "pageSizeParam", "page_size", "defaultPageSize", 5, "itemsPath", "$.data[*]",
                "nextCursorPath", "$.meta.next_cursor", "textFields", List.of("orderId", "customer.name", "note"),
                "idField", "orderId")));
        pullUntilDone(source, 10);
        long doc = dailyDocument(source);
        awaitJob(doc, "indexed");
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE document_id = ? AND status"
                + " IN ('queued', 'processing')", Integer.class, doc) == 0);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM index_chunk WHERE source_id = ?"
                + " AND (tenant IS DISTINCT FROM 'tenant-a' OR allowed_roles <> ARRAY['member'])", Integer.class,
                String.valueOf(doc))).isZero();

        long n = System.nanoTime();
        String member = apiKey("orders-member-" + n, "tenant-a", List.of("member"), List.of("retrieve"), false);
        String noRole = apiKey("orders-guest-" + n, "tenant-a", List.of("guest"), List.of("retrieve"), false);
        String foreign = apiKey("orders-foreign-" + n, "tenant-b", List.of("member"), List.of("retrieve"), false);
        String question = "Which orders ship from the Lyon warehouse?";
        assertThat(retrieve(doc, question, null, member)).as("tenant-a member").isNotEmpty();
        assertThat(retrieve(doc, question, null, noRole)).as("tenant-a without the role").isEmpty();
        assertThat(retrieve(doc, question, null, foreign)).as("another tenant").isEmpty();
    }

    private JsonNode retrieve(long doc, String question, Map<String, Object> filter, String key) throws Exception {
        long kb = jdbc.queryForObject("SELECT knowledge_base_id FROM document WHERE id = ?", Long.class, doc);
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("question", question,
                "knowledge_base_ids", List.of(kb), "similarity_threshold", -1, "page_size", 100));
        if (filter != null) {
            body.put("metadata_filter", filter);
        }
        HttpResponse<String> response = httpCall("POST", "/api/retrieval", JSON.writeValueAsString(body),
                "Content-Type", "application/json", "X-API-Key", key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("data").get("chunks");
    }
}
