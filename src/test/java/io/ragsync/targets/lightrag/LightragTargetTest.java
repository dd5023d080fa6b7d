package io.ragsync.targets.lightrag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.ops.health.CachedHealthIndicator;
import io.ragsync.ops.health.LightragHealthIndicator;
import io.ragsync.support.IsolatedHubTest;
import io.ragsync.support.LightragStub;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Knowledge bases with target 'lightrag' against the LightRAG stub (support/LightragStub): create, replace and delete
 * exactly once, also under random faults and lost answers; LightRAG or its LLM failing ends the job failed with the
 * reason while the next document indexes; reconciliation finds and removes orphans; a document answered without its
 * id is never indexed under a made-up one. Routes: routes/targets/lightrag/
 * (lightrag-upsert, lightrag-track, lightrag-delete, lightrag-client, lightrag-reconcile).
 */
@ExtendWith(OutputCaptureExtension.class)
class LightragTargetTest extends IsolatedHubTest {

    static final LightragStub LIGHTRAG = new LightragStub();

    @Autowired
    LightragHealthIndicator health;
    @Autowired
    ProducerTemplate producer;

    @DynamicPropertySource
    static void lightragProperties(DynamicPropertyRegistry registry) {
        Map<String, String> props = new HashMap<>(isolatedProperties("ragsync_lightrag", "lightrag-1", Map.of(
                "app.lightrag.url", LIGHTRAG.baseUrl(),
                "app.lightrag.api-key", LightragStub.API_KEY,
                "app.lightrag.track-poll-ms", "100",
                "app.lightrag.track-timeout-seconds", "30",
                "app.ops.health.cache-ms", "200")));
        register(registry, props);
    }

    @AfterAll
    static void stopStub() {
        LIGHTRAG.down(false);
    }

    @BeforeEach
    void cleanLightrag() {
        jdbc.execute("TRUNCATE lightrag_document");
        LIGHTRAG.reset();
    }

    private long lightragKb(String name) {
        return jdbc.queryForObject("INSERT INTO knowledge_base (name, description, target) VALUES (?, ?, 'lightrag')"
                + " RETURNING id", Long.class, name, "about " + name);
    }

    private Map<String, Object> mapping(long documentId) {
        return jdbc.queryForMap("SELECT * FROM lightrag_document WHERE document_id = ?", documentId);
    }

    private List<String> log(long documentId) {
        return jdbc.queryForList("SELECT l.event || ': ' || coalesce(l.message, '') FROM sync_job_log l"
                + " JOIN sync_job j ON j.id = l.job_id WHERE j.document_id = ? ORDER BY l.id", String.class, documentId);
    }

    /** A document of a new LightRAG knowledge base, once indexed. */
    private long indexedDocument(String knowledgeBase, String path, String content) {
        long doc = documentWithFile(lightragKb(knowledgeBase), knowledgeBase + " document", path, content);
        awaitJob(doc, "indexed");
        return doc;
    }

    private void awaitIndexedJobs(long documentId, int jobs) {
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE document_id = ? AND status = 'indexed'",
                Integer.class, documentId) == jobs);
    }

    @Test
    void createdDocumentIsUploadedFollowedAndIndexed() {
        long kb = lightragKb("Handbook");
        long doc = documentWithFile(kb, "Leave", "lightrag/leave.txt", "Leave policy: 25 days a year.");

        Map<String, Object> job = awaitJob(doc, "indexed", "failed");

        assertThat(job.get("status")).isEqualTo("indexed");
        assertThat(job.get("target")).isEqualTo("lightrag");
        assertThat(LIGHTRAG.docs()).singleElement().satisfies(d -> {
            assertThat(d.status).isEqualTo("processed");
            assertThat(d.filePath).startsWith("rs" + doc + "-").endsWith("_leave.txt");
            assertThat(mapping(doc).get("doc_id")).isEqualTo(d.id);
        });
        assertThat(documentSync(doc).get("status")).isEqualTo("indexed");
        // followed by its track: deferred while LightRAG processed it, without using a retry or uploading again
        assertThat(log(doc)).anyMatch(l -> l.startsWith("deferred: LightRAG is still processing"));
        assertThat(job.get("retry_count")).isEqualTo(0);
        assertThat(LIGHTRAG.uploads()).isEqualTo(1);
    }

    @Test
    void unchangedContentSendsNothing() {
        long doc = indexedDocument("Unchanged", "lightrag/same.txt", "Same content.");
        jdbc.update("UPDATE document SET title = 'Same, renamed' WHERE id = ?", doc);
        awaitIndexedJobs(doc, 2);
        assertThat(LIGHTRAG.uploads()).isEqualTo(1);
    }

    @Test
    void updateReplacesTheOldVersionAfterTheNewOneIsProcessed() {
        long doc = indexedDocument("Replace", "lightrag/prices.txt", "Prices 2025: 10 EUR.");
        String first = (String) mapping(doc).get("doc_id");

        writeFile("lightrag/prices.txt", "Prices 2026: 12 EUR.");
        jdbc.update("UPDATE document SET title = 'Price list 2026' WHERE id = ?", doc);
        awaitIndexedJobs(doc, 2);

        assertThat(LIGHTRAG.docs()).singleElement().satisfies(d -> {
            assertThat(d.content).isEqualTo("Prices 2026: 12 EUR.");
            assertThat(d.id).isNotEqualTo(first).isEqualTo(mapping(doc).get("doc_id"));
        });
    }

    @Test
    void deleteLeavesNothing() {
        long doc = indexedDocument("Delete", "lightrag/old.txt", "To be deleted.");

        jdbc.update("DELETE FROM document WHERE id = ?", doc);

        awaitJob(doc, "deleted");
        assertThat(LIGHTRAG.docs()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM lightrag_document", Integer.class)).isZero();
    }

    /** The deletion proof of a document (GET /api/documents/{id}/deletion-proof), its first deletion. */
    private JsonNode firstDeletion(long doc) throws Exception {
        producer.sendBody("direct:deletion-proof-verify", null);
        HttpResponse<String> answer = httpGet("/api/documents/" + doc + "/deletion-proof");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return new ObjectMapper().readTree(answer.body()).at("/deletions/0");
    }

    @Test
    void aDeletionIsProvenByLightragsListingAndACopyStillListedFailsTheProofOnceOverdue() throws Exception {
        long doc = indexedDocument("Proof", "lightrag/proof.txt", "To be deleted and proven gone.");
        jdbc.update("DELETE FROM document WHERE id = ?", doc);
        awaitJob(doc, "deleted");

        JsonNode proven = firstDeletion(doc);
        assertThat(proven.get("target").asText()).isEqualTo("lightrag");
        assertThat(proven.get("proven").asBoolean()).as(proven.toString()).isTrue();
        assertThat(proven.get("verification").asText()).contains("LightRAG lists 0 document(s)");

        // a copy LightRAG still lists may be a deletion it carries out in the background: checked again, not failed
        LIGHTRAG.hold("rs" + doc + "-99-0_proof.txt", "left behind");
        jdbc.update("UPDATE deletion_proof SET verified_at = NULL, verified_absent = NULL WHERE document_id = ?", doc);
        JsonNode pending = firstDeletion(doc);
        assertThat(pending.get("verifiedAt").isNull()).as(pending.toString()).isTrue();
        assertThat(pending.get("proven").asBoolean()).isFalse();
        // still listed once LightRAG has had as long as it is given to process: the proof fails
        jdbc.update("UPDATE deletion_proof SET removed_at = now() - interval '1 hour' WHERE document_id = ?", doc);
        JsonNode failed = firstDeletion(doc);
        assertThat(failed.get("verifiedAbsent").asBoolean()).as(failed.toString()).isFalse();
        assertThat(failed.get("verification").asText()).contains("LightRAG lists 1 document(s)");
    }

    @Test
    void knowledgeBaseDeleteTakesItsDocumentsAlong() {
        long kb = lightragKb("Whole base");
        long a = documentWithFile(kb, "A", "lightrag/kb-a.txt", "First of the base.");
        long b = documentWithFile(kb, "B", "lightrag/kb-b.txt", "Second of the base.");
        awaitJob(a, "indexed");
        awaitJob(b, "indexed");

        jdbc.update("DELETE FROM knowledge_base WHERE id = ?", kb);

        eventually(() -> LIGHTRAG.docs().isEmpty());
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM lightrag_document", Integer.class) == 0);
    }

    @Test
    void lostUploadAnswerIsMappedToTheDocumentLightragAnswersDuplicated() {
        LIGHTRAG.loseUploadAnswers(1);
        long kb = lightragKb("Lost answer");
        long doc = documentWithFile(kb, "Once", "lightrag/once.txt", "Uploaded once, answered never.");

        awaitJob(doc, "indexed");

        assertThat(LIGHTRAG.uploads()).isEqualTo(1);
        assertThat(LIGHTRAG.docs()).singleElement().satisfies(d -> assertThat(mapping(doc).get("doc_id")).isEqualTo(d.id));
    }

    @Test
    void randomFaultsLoseNothingAndDuplicateNothing() {
        long kb = lightragKb("Faults");
        List<Long> docs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            docs.add(documentWithFile(kb, "Doc " + i, "lightrag/fault-" + i + ".txt", "Fault test document " + i));
        }
        LIGHTRAG.randomFaults(0.2, 42);
        docs.forEach(d -> awaitJob(d, "indexed"));
        writeFile("lightrag/fault-0.txt", "Fault test document 0, second version");
        jdbc.update("UPDATE document SET title = 'Doc 0 v2' WHERE id = ?", docs.get(0));
        jdbc.update("DELETE FROM document WHERE id = ?", docs.get(7));
        awaitJob(docs.get(7), "deleted");
        awaitIndexedJobs(docs.get(0), 2);
        LIGHTRAG.randomFaults(0, 1);
        awaitQuiet();

        List<String> contents = LIGHTRAG.docs().stream().map(d -> d.content).sorted().toList();
        assertThat(contents).containsExactly("Fault test document 0, second version", "Fault test document 1",
                "Fault test document 2", "Fault test document 3", "Fault test document 4", "Fault test document 5",
                "Fault test document 6");
        assertThat(LIGHTRAG.docs()).allSatisfy(d -> assertThat(d.status).isEqualTo("processed"));
    }

    @Test
    void aDocumentAnsweredWithoutItsIdIsNeverIndexedAndItsUploadIsMappedOnceLightragNamesIt() {
        long kb = lightragKb("No ids");
        long doc = 0;
        for (LightragStub.DocIds fault : List.of(LightragStub.DocIds.LEFT_OUT, LightragStub.DocIds.NULL)) {
            LIGHTRAG.docIds(fault);
            doc = documentWithFile(kb, "Unnamed " + fault, "lightrag/no-id-" + fault + ".txt", "Answered without id " + fault);

            Map<String, Object> job = awaitJob(doc, "failed", "indexed");

            assertThat(job.get("status")).as(fault.name()).isEqualTo("failed");
            Map<String, Object> row = mapping(doc);
            assertThat(row.get("doc_id")).as(fault.name()).isNull();
            // the reason names the document LightRAG answered for, and the upload stays mapped as on its way
            assertThat((String) job.get("last_error")).contains((String) row.get("pending_file_name"));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM document_sync WHERE document_id = ? AND status = 'indexed'",
                    Integer.class, doc)).isZero();
        }
        assertThat(jdbc.queryForList("SELECT doc_id FROM lightrag_document WHERE doc_id IS NOT NULL", String.class))
                .isEmpty();

        // LightRAG naming its documents again: the next job follows the same upload and maps LightRAG's own id
        LIGHTRAG.docIds(LightragStub.DocIds.GIVEN);
        long named = doc;
        jdbc.update("UPDATE document SET title = 'Named at last' WHERE id = ?", named);
        awaitIndexedJobs(named, 1);
        assertThat(LIGHTRAG.uploads()).isEqualTo(2);
        assertThat(LIGHTRAG.docs()).filteredOn(d -> d.filePath.startsWith("rs" + named + "-")).singleElement()
                .satisfies(d -> assertThat(mapping(named).get("doc_id")).isEqualTo(d.id));
    }

    @Test
    void reconciliationOfAListingWithoutIdsDeletesNothing() throws Exception {
        indexedDocument("Listed", "lightrag/listed.txt", "Listed without its id.");
        long orphan = indexedDocument("Listed orphan", "lightrag/listed-orphan.txt", "Orphan listed without its id.");
        jdbc.update("DELETE FROM lightrag_document WHERE document_id = ?", orphan);
        LIGHTRAG.docIds(LightragStub.DocIds.NULL);
        List<String> asked = LIGHTRAG.askedDeletions();

        HttpResponse<String> real = httpPost("/api/lightrag/reconcile?dryRun=false", "{}");

        assertThat(real.statusCode()).isGreaterThanOrEqualTo(500);
        assertThat(LIGHTRAG.askedDeletions()).isEqualTo(asked);
        assertThat(LIGHTRAG.docs()).hasSize(2);
    }

    @Test
    void lightragDownFailsTheJobWithTheReasonAndTheNextDocumentIndexes() {
        long kb = lightragKb("Down");
        LIGHTRAG.down(true);
        long first = documentWithFile(kb, "First", "lightrag/down-1.txt", "Sent while LightRAG is down.");

        Map<String, Object> failed = awaitJob(first, "failed", "indexed");
        LIGHTRAG.down(false);
        long second = documentWithFile(kb, "Second", "lightrag/down-2.txt", "Sent once LightRAG is back.");

        assertThat(failed.get("status")).isEqualTo("failed");
        assertThat((String) failed.get("last_error")).containsIgnoringCase("reset");
        assertThat(log(first)).anyMatch(l -> l.startsWith("failed: gave up after"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_dead_letter WHERE document_id = ?", Integer.class, first))
                .isEqualTo(1);
        assertThat(awaitJob(second, "indexed", "failed").get("status")).isEqualTo("indexed");
    }

    @Test
    void llmFailureFailsTheJobWithLightragsErrorAndTheNextDocumentIndexes() {
        LIGHTRAG.failProcessing("NEEDS-LLM", "Failed to extract entities: LLM func: Connection refused (ollama:11434)");
        long kb = lightragKb("Model down");
        long first = documentWithFile(kb, "First", "lightrag/llm-1.txt", "NEEDS-LLM: this one cannot be processed.");
        long second = documentWithFile(kb, "Second", "lightrag/llm-2.txt", "This one can.");

        Map<String, Object> failed = awaitJob(first, "failed", "indexed");

        assertThat(failed.get("status")).isEqualTo("failed");
        assertThat((String) failed.get("last_error")).contains("gave up after")
                .contains("LLM func: Connection refused (ollama:11434)");
        assertThat(log(first)).filteredOn(l -> l.startsWith("queued: LightRAG could not process")).hasSizeGreaterThan(1);
        assertThat(awaitJob(second, "indexed", "failed").get("status")).isEqualTo("indexed");
        assertThat(LIGHTRAG.docs()).singleElement().satisfies(d -> assertThat(d.content).isEqualTo("This one can."));
    }

    @Test
    void sameContentInASecondDocumentFailsWithLightragsReasonAndLeavesTheFirst() {
        long first = indexedDocument("Twins", "lightrag/twin-1.txt", "Word for word the same.");
        long second = documentWithFile(lightragKb("Twins again"), "Twin", "lightrag/twin-2.txt", "Word for word the same.");

        Map<String, Object> failed = awaitJob(second, "failed", "indexed");

        assertThat((String) failed.get("last_error")).contains("Content already exists");
        assertThat(LIGHTRAG.docs()).singleElement().satisfies(d -> assertThat(d.id).isEqualTo(mapping(first).get("doc_id")));
    }

    @Test
    void rejectedKeyFailsTheJobAtOnceNamingTheKey(CapturedOutput output) {
        LIGHTRAG.acceptKey("another-key");
        long kb = lightragKb("Wrong key");
        long doc = documentWithFile(kb, "Refused", "lightrag/refused.txt", "Refused for the key.");

        Map<String, Object> job = awaitJob(doc, "failed", "indexed");

        assertThat(job.get("status")).isEqualTo("failed");
        assertThat((String) job.get("last_error")).contains("HTTP 403").contains("Invalid API Key").contains("LIGHTRAG_API_KEY");
        assertThat(job.get("retry_count")).isEqualTo(0);
        assertThat(output.getAll()).doesNotContain(LightragStub.API_KEY);
    }

    @Test
    void healthProbesLightragOnlyWhileInUse() {
        eventually(() -> Boolean.FALSE.equals(health.health().getDetails().get("inUse")));
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        lightragKb("In use");
        eventually(() -> Boolean.TRUE.equals(health.health().getDetails().get("inUse")));
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        LIGHTRAG.acceptKey("another-key");
        eventually(() -> health.health().getStatus().equals(CachedHealthIndicator.CONFIG_ERROR));
        LIGHTRAG.down(true);
        eventually(() -> health.health().getStatus().equals(Status.DOWN));
        LIGHTRAG.down(false);
    }

    @Test
    void reconciliationReportsAndRemovesOrphansOnly() throws Exception {
        indexedDocument("Reconcile", "lightrag/kept.txt", "Mapped and kept.");
        // an upload of a document whose mapping is gone, and a document someone else put into LightRAG
        long orphan = indexedDocument("Reconcile orphan", "lightrag/orphan.txt", "Left behind.");
        jdbc.update("DELETE FROM lightrag_document WHERE document_id = ?", orphan);
        LIGHTRAG.hold("meeting-notes.txt", "Not from RAGSync.");

        HttpResponse<String> dry = httpPost("/api/lightrag/reconcile?dryRun=true", "{}");
        assertThat(dry.statusCode()).isEqualTo(200);
        assertThat(dry.body()).contains("\"orphans\":1").contains("\"dryRun\":true");
        assertThat(LIGHTRAG.docs()).hasSize(3);

        HttpResponse<String> real = httpPost("/api/lightrag/reconcile?dryRun=false", "{}");
        assertThat(real.body()).contains("\"orphans\":1");
        assertThat(LIGHTRAG.docs()).extracting(d -> d.content).containsExactlyInAnyOrder("Mapped and kept.",
                "Not from RAGSync.");
    }
}
