package io.ragsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.support.HubTestSupport;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every document deletion leaves a proof that outlives the document: requested, removed, verified absent. */
class DeletionProofTest extends HubTestSupport {

    private final ObjectMapper mapper = new ObjectMapper();

    @Autowired
    private ProducerTemplate producer;

    @Test
    void aDeletedLocalDocumentIsProvenAbsent() throws Exception {
        long kb = localKnowledgeBase("Proofs");
        long doc = documentWithFile(kb, "Leaves", "proof/leaves.txt", "a document that will be deleted for good");
        awaitJob(doc, "indexed");
        assertThat(chunks(doc)).isPositive();

        jdbc.update("DELETE FROM document WHERE id = ?", doc);
        long deleteJob = (Long) awaitJob(doc, "deleted").get("id");
        producer.sendBody("direct:deletion-proof-verify", null);

        JsonNode deletion = proof(doc, apiKey()).at("/deletions/0");
        assertThat(deletion.get("target").asText()).isEqualTo("local");
        assertThat(deletion.get("requestedBy").asText()).isEqualTo("document deleted");
        assertThat(deletion.get("source").asText()).isEqualTo("backend");
        assertThat(deletion.get("requestJobId").asLong()).isEqualTo(deleteJob);
        assertThat(deletion.get("removedByJobId").asLong()).isEqualTo(deleteJob);
        assertThat(deletion.get("removedAt").isNull()).isFalse();
        assertThat(deletion.get("removal").asText()).contains("chunk(s) removed");
        assertThat(deletion.get("verifiedAbsent").asBoolean()).isTrue();
        assertThat(deletion.get("verification").asText()).startsWith("0 chunk(s)");
        assertThat(deletion.get("proven").asBoolean()).isTrue();
        assertThat(chunks(doc)).isZero();
    }

    @Test
    void aRagflowDocumentIsProvenAbsentByAListingAndACopyLeftBehindIsDeletedAgain() throws Exception {
        long kb = knowledgeBase("Proofs in RAGFlow");
        long doc = documentWithFile(kb, "Gone", "proof/ragflow.txt", "a RAGFlow document that will be deleted");
        awaitJob(doc, "indexed");
        String dataset = datasetOf(kb);

        jdbc.update("DELETE FROM document WHERE id = ?", doc);
        awaitJob(doc, "deleted");
        producer.sendBody("direct:deletion-proof-verify", null);
        JsonNode first = proof(doc, apiKey()).at("/deletions/0");
        assertThat(first.get("target").asText()).isEqualTo("ragflow");
        assertThat(first.get("proven").asBoolean()).as(first.toString()).isTrue();
        assertThat(first.get("verification").asText()).contains("lists 0 document(s)").contains(dataset);

        // a copy RAGFlow still lists (a lost answer, a hand upload) fails the proof and is deleted again
        RAGFLOW.uploadDirectlyWithMeta(dataset, "copy.txt", "left behind", Map.of("external_id", String.valueOf(doc)));
        jdbc.update("UPDATE deletion_proof SET verified_at = NULL, verified_absent = NULL WHERE document_id = ?", doc);
        producer.sendBody("direct:deletion-proof-verify", null);
        JsonNode failed = proof(doc, apiKey()).at("/deletions/0");
        assertThat(failed.get("verifiedAbsent").asBoolean()).isFalse();
        assertThat(failed.get("verification").asText()).contains("lists 1 document(s)");
        eventually(() -> proof(doc, apiKey()).get("deletions").size() == 2
                && "deleted".equals(latestJob(doc).get("status")));
        producer.sendBody("direct:deletion-proof-verify", null);
        JsonNode again = proof(doc, apiKey()).at("/deletions/1");
        assertThat(again.get("proven").asBoolean()).as(again.toString()).isTrue();
        assertThat(RAGFLOW.documents(dataset)).isEmpty();
    }

    @Test
    void aKnowledgeBaseDeletionProvesEachOfItsDocuments() throws Exception {
        long kb = localKnowledgeBase("Whole base");
        long first = documentWithFile(kb, "One", "proof/kb-one.txt", "first document of the base");
        long second = documentWithFile(kb, "Two", "proof/kb-two.txt", "second document of the base");
        awaitJob(first, "indexed");
        awaitJob(second, "indexed");

        jdbc.update("DELETE FROM knowledge_base WHERE id = ?", kb);
        awaitJob(first, "deleted");
        awaitJob(second, "deleted");
        producer.sendBody("direct:deletion-proof-verify", null);

        for (long doc : List.of(first, second)) {
            JsonNode deletion = proof(doc, apiKey()).at("/deletions/0");
            assertThat(deletion.get("requestedBy").asText()).isEqualTo("knowledge base " + kb + " deleted");
            // removed by the target that held it, not the default one
            assertThat(deletion.get("target").asText()).isEqualTo("local");
            assertThat(deletion.get("proven").asBoolean()).as("document %d", doc).isTrue();
            assertThat(chunks(doc)).isZero();
        }
    }

    @Test
    void theProofIsForAuditorsOnlyAndATenantSeesItsOwn() throws Exception {
        long kb = localKnowledgeBase("Tenant proofs");
        jdbc.update("UPDATE knowledge_base SET tenant = 'acme' WHERE id = ?", kb);
        long doc = documentWithFile(kb, "Acme doc", "proof/acme.txt", "acme content");
        awaitJob(doc, "indexed");
        jdbc.update("DELETE FROM document WHERE id = ?", doc);
        awaitJob(doc, "deleted");

        String path = "/api/documents/" + doc + "/deletion-proof";
        assertThat(OpsHttp.anonymous(port).get(path).statusCode()).isEqualTo(401);
        String retriever = apiKey("proof-retriever", "acme", List.of(), List.of("retrieve"), false);
        assertThat(httpCall("GET", path, null, "X-API-Key", retriever).statusCode()).isEqualTo(403);
        String otherTenant = apiKey("proof-other", "globex", List.of(), List.of("audit"), false);
        assertThat(httpCall("GET", path, null, "X-API-Key", otherTenant).statusCode()).isEqualTo(404);
        String acme = apiKey("proof-acme", "acme", List.of(), List.of("audit"), false);
        assertThat(proof(doc, acme).at("/deletions/0/requestedBy").asText()).isEqualTo("document deleted");
        assertThat(httpCall("GET", "/api/documents/987654321/deletion-proof", null, "X-API-Key", acme).statusCode())
                .isEqualTo(404);
        assertThat(httpCall("GET", "/api/documents/abc/deletion-proof", null, "X-API-Key", acme).statusCode())
                .isEqualTo(400);
    }

    private JsonNode proof(long doc, String key) throws Exception {
        HttpResponse<String> response = httpCall("GET", "/api/documents/" + doc + "/deletion-proof", null,
                "X-API-Key", key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode proof = mapper.readTree(response.body());
        assertThat(proof.get("documentId").asLong()).isEqualTo(doc);
        return proof;
    }

    private int chunks(long doc) {
        return jdbc.queryForObject("SELECT count(*) FROM index_chunk WHERE source_type = 'document' AND source_id = ?",
                Integer.class, String.valueOf(doc));
    }
}
