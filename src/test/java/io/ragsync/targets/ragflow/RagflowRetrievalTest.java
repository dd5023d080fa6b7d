package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.support.HubTestSupport;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * POST /api/retrieval on knowledge bases synced to RAGFlow: RAGFlow answers, filtered by the caller's tenant and roles
 * through meta_fields.access, and the hub drops any chunk of a document the caller may not see even when RAGFlow
 * ignores the filter (routes/targets/ragflow/ragflow-retrieval.camel.yaml).
 */
class RagflowRetrievalTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUESTION = "What is the salary grid?";

    @AfterEach
    void honourTheFilterAgain() {
        RAGFLOW.ignoreRetrievalFilter(false);
    }

    private long acmeDocument(String kbName, String... roles) {
        long kb = knowledgeBase(kbName);
        jdbc.update("UPDATE knowledge_base SET tenant = 'acme' WHERE id = ?", kb);
        long doc = documentWithFile(kb, "Salaries", "retrieval/" + kbName + ".txt", "The salary grid of 2026.");
        if (roles.length > 0) {
            jdbc.update("UPDATE document SET allowed_roles = CAST(? AS TEXT[]) WHERE id = ?",
                    "{" + String.join(",", roles) + "}", doc);
        }
        awaitJob(doc, "indexed");
        eventually(() -> "indexed".equals(latestJob(doc).get("status")));
        return kb;
    }

    private String caller(String tenant, String... roles) {
        return apiKey("caller-" + tenant.replace("*", "all") + "-" + System.nanoTime(), tenant, List.of(roles),
                List.of("retrieve"), false);
    }

    private List<String> documentsSeen(String key, long... kbs) throws Exception {
        HttpResponse<String> response = retrieve(key, Map.of(), kbs);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode data = JSON.readTree(response.body()).get("data");
        List<String> ids = new ArrayList<>();
        data.get("chunks").forEach(c -> ids.add(c.get("document_id").asText()));
        return ids;
    }

    private HttpResponse<String> retrieve(String key, Map<String, Object> extra, long... kbs) throws Exception {
        Map<String, Object> body = new java.util.LinkedHashMap<>(extra);
        body.put("question", QUESTION);
        body.put("knowledge_base_ids", java.util.Arrays.stream(kbs).boxed().toList());
        return httpCall("POST", "/api/retrieval", JSON.writeValueAsString(body),
                "Content-Type", "application/json", "X-API-Key", key);
    }

    private String ragflowId(long kb) {
        return jdbc.queryForObject("SELECT s.ragflow_document_id FROM document_sync s JOIN document d ON d.id = s.document_id"
                + " WHERE d.knowledge_base_id = ?", String.class, kb);
    }

    @Test
    void aCallerWithoutTheRoleOrOfAnotherTenantSeesNothing() throws Exception {
        long kb = acmeDocument("acme-hr", "hr");

        assertThat(documentsSeen(caller("acme", "hr"), kb)).containsExactly(ragflowId(kb));
        assertThat(documentsSeen(caller("acme", "guest"), kb)).isEmpty();
        assertThat(lastRagflowRetrievalTotal()).as("RAGFlow's own answer, filtered by meta_fields.access").isZero();
        HttpResponse<String> otherTenant = retrieve(caller("globex", "hr"), Map.of(), kb);
        assertThat(otherTenant.statusCode()).isEqualTo(400);
        assertThat(otherTenant.body()).contains("no knowledge base " + kb + " is readable with this credential");
    }

    /** The total of RAGFlow's latest retrieval answer, before the hub filters it. */
    private int lastRagflowRetrievalTotal() throws Exception {
        String body = RAGFLOW.wireMock().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith("/api/v1/retrieval"))
                .findFirst().orElseThrow().getResponse().getBodyAsString();
        return JSON.readTree(body).at("/data/total").asInt(-1);
    }

    @Test
    void chunksOfDocumentsTheCallerMayNotSeeAreDroppedWhenRagflowIgnoresTheFilter() throws Exception {
        long kb = acmeDocument("acme-hr-unfiltered", "hr");
        RAGFLOW.ignoreRetrievalFilter(true);

        assertThat(documentsSeen(caller("acme", "hr"), kb)).containsExactly(ragflowId(kb));
        assertThat(documentsSeen(caller("acme", "guest"), kb)).isEmpty();
    }

    @Test
    void anAccessChangeTakesEffectWithoutAnUpload() throws Exception {
        long kb = acmeDocument("acme-changing", "hr");
        long doc = jdbc.queryForObject("SELECT id FROM document WHERE knowledge_base_id = ?", Long.class, kb);
        long uploads = RAGFLOW.uploadCount();
        String guest = caller("acme", "guest");
        assertThat(documentsSeen(guest, kb)).isEmpty();

        jdbc.update("UPDATE document SET allowed_roles = ARRAY['guest'] WHERE id = ?", doc);
        eventually(() -> documentsSeen(guest, kb).size() == 1);

        jdbc.update("UPDATE document SET allowed_roles = ARRAY['hr'] WHERE id = ?", doc);
        eventually(() -> documentsSeen(guest, kb).isEmpty());
        awaitJob(doc, "indexed");
        eventually(() -> documentsSeen(caller("acme", "hr"), kb).size() == 1);
        assertThat(RAGFLOW.uploadCount()).isEqualTo(uploads);
    }

    @Test
    void theMigrationSyncsRagflowDocumentsAgainWithoutAnUpload() throws Exception {
        long kb = acmeDocument("acme-earlier", "hr");
        long doc = jdbc.queryForObject("SELECT id FROM document WHERE knowledge_base_id = ?", Long.class, kb);
        long uploads = RAGFLOW.uploadCount();
        long firstJob = (Long) latestJob(doc).get("id");

        try (var sql = getClass().getResourceAsStream("/db/migration/V101__ragflow_access_tokens.sql")) {
            jdbc.execute(new String(sql.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        eventually(() -> (Long) latestJob(doc).get("id") > firstJob && "indexed".equals(latestJob(doc).get("status")));

        assertThat(RAGFLOW.uploadCount()).isEqualTo(uploads);
        assertThat(documentsSeen(caller("acme", "hr"), kb)).containsExactly(ragflowId(kb));
    }

    @Test
    void aPlatformWideCallerSeesUntenantedDocumentsOnly() throws Exception {
        long acme = acmeDocument("acme-open");
        long open = knowledgeBase("open-handbook");
        long openDoc = documentWithFile(open, "Salaries", "retrieval/open.txt", "The salary grid of the union.");
        awaitJob(openDoc, "indexed");

        assertThat(documentsSeen(caller("*"), open)).containsExactly(ragflowId(open));
        assertThat(retrieve(caller("*"), Map.of(), acme, open).body())
                .contains("no knowledge base " + acme + " is readable with this credential");
        assertThat(documentsSeen(caller("acme"), acme, open)).containsExactlyInAnyOrder(ragflowId(acme), ragflowId(open));
    }

    @Test
    void aConditionThatCouldLiftTheAccessFilterOrMixedTargetsAreRefused() throws Exception {
        long kb = acmeDocument("acme-or", "hr");
        long local = localKnowledgeBase("local-kb");
        String hr = caller("acme", "hr");

        HttpResponse<String> or = retrieve(hr, Map.of("metadata_condition", Map.of("logic", "or", "conditions",
                List.of(Map.of("name", "title", "comparison_operator", "is", "value", "Salaries")))), kb);
        assertThat(or.statusCode()).as(or.body()).isEqualTo(400);
        HttpResponse<String> and = retrieve(hr, Map.of("metadata_condition", Map.of("logic", "and", "conditions",
                List.of(Map.of("name", "title", "comparison_operator", "is", "value", "salaries")))), kb);
        assertThat(and.statusCode()).as(and.body()).isEqualTo(200);
        assertThat(JSON.readTree(and.body()).at("/data/chunks").size()).isEqualTo(1);
        HttpResponse<String> mixed = retrieve(hr, Map.of(), kb, local);
        assertThat(mixed.statusCode()).as(mixed.body()).isEqualTo(400);
    }
}
