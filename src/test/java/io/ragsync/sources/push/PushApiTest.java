package io.ragsync.sources.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.ragsync.sources.push.LinkFetchGuard;
import io.ragsync.support.HubTestSupport;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * routes/sources/push/*.camel.yaml (push-embed, push-store, push-link-fetch, push-delete, push-cleanup, push-jobs): the
 * push API contract (paths, X-Odoo-API-Key, JSON shapes) end to end,
 * against the real job queue, PostgreSQL and the RAGFlow stub.
 */
class PushApiTest extends HubTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    LinkFetchGuard linkFetchGuard;

    // ---- embed ------------------------------------------------------------------------------------------

    @Test
    void documentEmbedAnswersWithChunkCountsOnceSynced() throws Exception {
        HttpResponse<String> response = push("/api/internal/document/42/embed",
                documentBody(7, "Holidays are 25 days a year.", "handbook.pdf"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Object> answer = json(response);
        assertThat(answer).containsEntry("status", "success").containsEntry("document_id", 42)
                .containsEntry("sync_status", "synced");
        assertThat((Integer) answer.get("embeddings_count")).isPositive();
        assertThat(answer.get("chunks_created")).isEqualTo(answer.get("embeddings_count"));
        assertThat(response.headers().firstValue("X-Odoo-API-Key")).isEmpty();

        // chatbot 7 = one knowledge base = one dataset, created on first use
        long kb = jdbc.queryForObject("SELECT knowledge_base_id FROM push_chatbot WHERE chatbot_id = '7'", Long.class);
        assertThat(jdbc.queryForObject("SELECT name FROM knowledge_base WHERE id = ?", String.class, kb)).isEqualTo("chatbot-7");
        // the id retrieval and GET /api/knowledge-bases know the chatbot by
        assertThat(((Number) answer.get("knowledge_base_id")).longValue()).isEqualTo(kb);
        List<Map<String, Object>> docs = RAGFLOW.documents(datasetOf(kb));
        assertThat(docs).hasSize(1);
        assertThat(docs.get(0).get("name")).isEqualTo("handbook.pdf.txt");
        assertThat(RAGFLOW.content((String) docs.get(0).get("id"))).isEqualTo("Holidays are 25 days a year.");
        Map<String, Object> row = jdbc.queryForMap("SELECT d.title, d.file_path, s.source_type, s.source_id, s.revision"
                + " FROM document d JOIN push_source s ON s.document_id = d.id");
        assertThat(row).containsEntry("title", "handbook.pdf").containsEntry("source_type", "document")
                .containsEntry("source_id", "42").containsEntry("revision", 1L);
        assertThat(Files.readString(STORAGE.resolve((String) row.get("file_path")))).isEqualTo("Holidays are 25 days a year.");
        assertThat(answer.get("chunks_created")).isEqualTo(documentSync(documentOf("document", "42")).get("chunk_count"));
        assertThat(jobSourcesAndLog(documentOf("document", "42"))).hasSizeGreaterThan(1)
                .allSatisfy(text -> assertThat(text).contains("push").doesNotContain("backend"));
    }

    @Test
    void updateReplacesThePreviousVersionWithoutStaleDocuments() throws Exception {
        assertThat(push("/api/internal/document/5/embed", documentBody(1, "first version", "notes.txt")).statusCode())
                .isEqualTo(200);
        long doc = documentOf("document", "5");
        String firstRagflowId = (String) documentSync(doc).get("ragflow_document_id");

        HttpResponse<String> second = push("/api/internal/document/5/embed", documentBody(1, "second version", "notes.txt"));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(json(second)).containsEntry("revision", 2);

        List<Map<String, Object>> docs = RAGFLOW.allDocuments();
        assertThat(docs).hasSize(1);
        assertThat(docs.get(0).get("id")).isNotEqualTo(firstRagflowId);
        assertThat(RAGFLOW.content((String) docs.get(0).get("id"))).isEqualTo("second version");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document", Integer.class)).isEqualTo(1);
        assertThat(documentOf("document", "5")).isEqualTo(doc);

        // a renamed file replaces too, and the old file is gone from the storage root
        assertThat(push("/api/internal/document/5/embed", documentBody(1, "third version", "renamed.md")).statusCode())
                .isEqualTo(200);
        docs = RAGFLOW.allDocuments();
        assertThat(docs).hasSize(1);
        assertThat(docs.get(0).get("name")).isEqualTo("renamed.md");
        assertThat(RAGFLOW.content((String) docs.get(0).get("id"))).isEqualTo("third version");
        try (var files = Files.walk(STORAGE.resolve("push"))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList())
                    .containsExactly("renamed.md");
        }
    }

    @Test
    void asyncPushAnswers202AndTheJobCanBeFollowed() throws Exception {
        HttpResponse<String> response = push("/api/internal/document/9/embed?async=true",
                documentBody(3, "queued text", "q.txt"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Map<String, Object> answer = json(response);
        assertThat(answer).containsEntry("status", "pending").containsEntry("document_id", 9);
        Object jobId = answer.get("job_id");
        assertThat(answer.get("status_url")).isEqualTo("/api/internal/jobs/" + jobId);

        eventually(() -> "synced".equals(json(get("/api/internal/jobs/" + jobId)).get("status")));
        Map<String, Object> job = json(get("/api/internal/jobs/" + jobId));
        assertThat(job).containsEntry("job_id", jobId).containsEntry("op", "upsert").containsEntry("chatbot_id", 3)
                .containsEntry("source_type", "document").containsEntry("source_id", 9);
        assertThat((Integer) job.get("chunks_created")).isPositive();
        assertThat(get("/api/internal/jobs/999999").statusCode()).isEqualTo(404);
    }

    @Test
    void pushThatDoesNotFinishInTimeAnswers202() throws Exception {
        RAGFLOW.parsePollsToFinish(1_000_000);
        HttpResponse<String> response = push("/api/internal/document/11/embed?timeout_ms=300",
                documentBody(3, "slow text", "slow.txt"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Object jobId = json(response).get("job_id");
        Map<String, Object> job = json(get("/api/internal/jobs/" + jobId));
        assertThat(job).containsEntry("status", "pending");
        RAGFLOW.parsePollsToFinish(1);
        eventually(() -> "synced".equals(json(get("/api/internal/jobs/" + jobId)).get("status")));
    }

    @Test
    void jobThatFailsIsAnsweredAsErrorAndCanBeRetried() throws Exception {
        StubMapping uploadsFail = failUploads();
        HttpResponse<String> failed = push("/api/internal/document/13/embed", documentBody(4, "text", "t.txt"));
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(502);
        Map<String, Object> answer = json(failed);
        assertThat(answer).containsEntry("status", "error").containsEntry("sync_status", "error");
        assertThat((String) answer.get("error")).contains("No file part");
        Object jobId = answer.get("job_id");
        assertThat(json(get("/api/internal/jobs/" + jobId))).containsEntry("status", "error").containsEntry("job_status", "failed");

        RAGFLOW.wireMock().removeStub(uploadsFail);
        HttpResponse<String> retry = call("POST", "/api/internal/sync/retry", "{\"job_id\":" + jobId + "}");
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(json(retry)).containsEntry("retried", 1);
        eventually(() -> "synced".equals(json(get("/api/internal/jobs/" + jobId)).get("status")));
        assertThat(RAGFLOW.allDocuments()).hasSize(1);
    }

    @Test
    void bulkRetryRerunsErrorsOfPushChatbotsOnly() throws Exception {
        StubMapping uploadsFail = failUploads();
        assertThat(push("/api/internal/document/1/embed", documentBody(8, "one", "1.txt")).statusCode()).isEqualTo(502);
        assertThat(push("/api/internal/link/2/embed", linkBody(8, "https://example.com/x", "two")).statusCode()).isEqualTo(502);
        long backendKb = knowledgeBase("Backend");
        long backendDoc = documentWithFile(backendKb, "Backend doc", "b/x.txt", "backend");
        awaitJob(backendDoc, "failed");

        RAGFLOW.wireMock().removeStub(uploadsFail);
        HttpResponse<String> retry = call("POST", "/api/internal/sync/retry", "{\"status\":\"error\"}");
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(json(retry)).containsEntry("retried", 2);
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM sync_job j JOIN push_source s ON s.document_id ="
                + " j.document_id WHERE j.status = 'indexed'", Integer.class) == 2);
        assertThat(latestJob(backendDoc).get("status")).isEqualTo("failed");
    }

    @Test
    void retryOfOneSyncedSourceSyncsItAgain() throws Exception {
        assertThat(push("/api/internal/link/77/embed", linkBody(5, "https://example.com/a", "page text")).statusCode())
                .isEqualTo(200);
        HttpResponse<String> retry = call("POST", "/api/internal/sync/retry",
                "{\"chatbot_id\":5,\"source_type\":\"link\",\"source_id\":\"77\"}");
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(json(retry)).containsEntry("retried", 1);
        long doc = documentOf("link", "77");
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE document_id = ? AND status = 'indexed'",
                Integer.class, doc) == 2);
        assertThat(RAGFLOW.uploadCount()).isEqualTo(1);
        assertThat(call("POST", "/api/internal/sync/retry", "{\"chatbot_id\":5,\"source_type\":\"link\",\"source_id\":\"78\"}")
                .statusCode()).isEqualTo(404);
    }


    @Test
    void aFailureWhileStoringRollsEverythingBackAndAnswers500WithoutDetails() throws Exception {
        // the first knowledge base gets id 1: a plain file where its folder must go makes the file write fail
        Files.createDirectories(STORAGE.resolve("push"));
        Files.writeString(STORAGE.resolve("push/1"), "in the way");
        HttpResponse<String> response = push("/api/internal/document/1/embed", documentBody(30, "text", "t.txt"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
        assertThat(json(response)).containsEntry("status", "error").containsEntry("error", "internal_error");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain(STORAGE.toString());
        // the knowledge base created on first use went with the rollback: nothing half-written, no job
        assertThat(jdbc.queryForObject("SELECT count(*) FROM knowledge_base", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM push_chatbot", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job", Integer.class)).isZero();

        Files.delete(STORAGE.resolve("push/1"));
        assertThat(push("/api/internal/document/1/embed", documentBody(30, "text", "t.txt")).statusCode()).isEqualTo(200);
    }

    // ---- delete and cleanup ------------------------------------------------------------------------------

    @Test
    void deleteSourceRemovesItEverywhereAndAnswers404WhenNothingIsThere() throws Exception {
        assertThat(push("/api/internal/document/21/embed", documentBody(2, "to be removed", "gone.txt")).statusCode())
                .isEqualTo(200);
        assertThat(push("/api/internal/document/22/embed", documentBody(2, "stays", "stays.txt")).statusCode())
                .isEqualTo(200);
        long doc = documentOf("document", "21");
        int chunks = (Integer) documentSync(doc).get("chunk_count");

        HttpResponse<String> deleted = call("DELETE", "/api/internal/chatbot/2/source/document/21", null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(((Number) json(deleted).get("knowledge_base_id")).longValue()).isEqualTo(
                jdbc.queryForObject("SELECT knowledge_base_id FROM push_chatbot WHERE chatbot_id = '2'", Long.class));
        assertThat(json(deleted)).containsEntry("status", "success").containsEntry("chatbot_id", 2)
                .containsEntry("source_type", "document").containsEntry("source_id", 21)
                .containsEntry("deleted_count", chunks);
        assertThat(RAGFLOW.allDocuments()).hasSize(1);
        assertThat(RAGFLOW.content((String) RAGFLOW.allDocuments().get(0).get("id"))).isEqualTo("stays");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document WHERE id = ?", Integer.class, doc)).isZero();
        assertThat(Files.exists(STORAGE.resolve("push/1/document/21"))).isFalse();
        assertThat(jobSourcesAndLog(doc)).allSatisfy(text -> assertThat(text).contains("push").doesNotContain("backend"));

        assertThat(call("DELETE", "/api/internal/chatbot/2/source/document/21", null).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/api/internal/chatbot/2/source/link/22", null).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/api/internal/chatbot/99/source/document/22", null).statusCode()).isEqualTo(404);
        HttpResponse<String> badType = call("DELETE", "/api/internal/chatbot/2/source/video/22", null);
        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(json(badType)).containsEntry("field", "source_type").containsEntry("status", "error");
    }

    @Test
    void cleanupRemovesTheChatbotsDatasetAndReportsCounts() throws Exception {
        assertThat(push("/api/internal/document/1/embed", documentBody(6, "alpha", "a.txt")).statusCode()).isEqualTo(200);
        assertThat(push("/api/internal/link/2/embed", linkBody(6, "https://example.com/b", "beta")).statusCode()).isEqualTo(200);
        assertThat(push("/api/internal/document/1/embed", documentBody(66, "other bot", "a.txt")).statusCode()).isEqualTo(200);
        long kb = jdbc.queryForObject("SELECT knowledge_base_id FROM push_chatbot WHERE chatbot_id = '6'", Long.class);
        String dataset = datasetOf(kb);
        int chunks = jdbc.queryForObject("SELECT sum(chunk_count) FROM document_sync s JOIN document d ON d.id = s.document_id"
                + " WHERE d.knowledge_base_id = ?", Integer.class, kb);

        HttpResponse<String> cleanup = call("DELETE", "/api/internal/chatbot/6/cleanup", null);
        assertThat(cleanup.statusCode()).as(cleanup.body()).isEqualTo(200);
        assertThat(json(cleanup)).containsEntry("status", "success").containsEntry("chatbot_id", 6)
                .containsEntry("embeddings_deleted", chunks).containsEntry("sessions_deleted", 0)
                .containsEntry("documents_deleted", 2);
        assertThat(((Number) json(cleanup).get("knowledge_base_id")).longValue()).isEqualTo(kb);
        assertThat(jdbc.queryForList("SELECT DISTINCT source FROM sync_job WHERE knowledge_base_id = ?"
                + " AND op IN ('delete', 'delete_kb')", String.class, kb)).containsExactly("push");
        assertThat(RAGFLOW.datasets()).extracting(d -> d.get("id")).doesNotContain(dataset).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM knowledge_base WHERE id = ?", Integer.class, kb)).isZero();
        assertThat(Files.exists(STORAGE.resolve("push/" + kb))).isFalse();

        // again: nothing left, zero counts; and the chatbot starts afresh on its next push
        assertThat(json(call("DELETE", "/api/internal/chatbot/6/cleanup", null)))
                .containsEntry("embeddings_deleted", 0).containsEntry("documents_deleted", 0);
        assertThat(push("/api/internal/document/1/embed", documentBody(6, "alpha again", "a.txt")).statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT knowledge_base_id FROM push_chatbot WHERE chatbot_id = '6' AND removed_at IS NULL",
                Long.class)).isNotEqualTo(kb);
    }

    /** Clients read the answers by name: each shape keeps its fields, in order, null ones included. */
    @Test
    void everyAnswerKeepsItsFieldNames() throws Exception {
        HttpResponse<String> embedded = push("/api/internal/document/5/embed", documentBody(12, "kept", "k.txt"));
        assertThat(json(embedded).keySet()).as(embedded.body()).containsExactly("status", "document_id", "chatbot_id",
                "knowledge_base_id", "revision", "embeddings_count", "chunks_created", "job_id", "sync_status");
        HttpResponse<String> queued = push("/api/internal/link/6/embed?async=true", linkBody(12, "https://example.com/k", "k"));
        assertThat(json(queued).keySet()).as(queued.body()).containsExactly("status", "link_id", "chatbot_id",
                "knowledge_base_id", "revision", "job_id", "sync_status", "status_url");
        Object jobId = json(embedded).get("job_id");
        Map<String, Object> job = json(get("/api/internal/jobs/" + jobId));
        assertThat(job.keySet()).containsExactly("job_id", "status", "job_status", "op", "chatbot_id", "knowledge_base_id",
                "source_type", "source_id", "target", "embeddings_count", "chunks_created", "retry_count", "next_retry_at",
                "error", "message", "created_at", "ended_at");
        assertThat(job).containsEntry("error", null).containsEntry("next_retry_at", null);
        eventually(() -> "synced".equals(json(get("/api/internal/jobs/" + json(queued).get("job_id"))).get("status")));

        HttpResponse<String> retried = call("POST", "/api/internal/sync/retry",
                "{\"chatbot_id\":12,\"source_type\":\"document\",\"source_id\":5}");
        assertThat(json(retried).keySet()).as(retried.body()).containsExactly("status", "retried", "jobs");
        eventually(() -> "synced".equals(json(get("/api/internal/jobs/"
                + ((Map<?, ?>) ((List<?>) json(retried).get("jobs")).get(0)).get("job_id"))).get("status")));
        HttpResponse<String> deleted = call("DELETE", "/api/internal/chatbot/12/source/document/5", null);
        assertThat(json(deleted).keySet()).as(deleted.body()).containsExactly("status", "chatbot_id", "knowledge_base_id",
                "source_type", "source_id", "deleted_count", "job_id", "sync_status");
        HttpResponse<String> cleaned = call("DELETE", "/api/internal/chatbot/12/cleanup", null);
        assertThat(json(cleaned).keySet()).as(cleaned.body()).containsExactly("status", "chatbot_id", "knowledge_base_id",
                "embeddings_deleted", "sessions_deleted", "documents_deleted", "job_id", "sync_status");
        Map<String, Object> nothing = json(call("DELETE", "/api/internal/chatbot/12/cleanup", null));
        assertThat(nothing.keySet()).containsExactly("status", "chatbot_id", "knowledge_base_id", "embeddings_deleted",
                "sessions_deleted", "documents_deleted");
        assertThat(nothing).containsEntry("knowledge_base_id", null);
    }

    // ---- auth and validation -----------------------------------------------------------------------------

    @Test
    void missingOrWrongKeyIsRefusedWith401() throws Exception {
        String body = documentBody(1, "x", "x.txt");
        HttpResponse<String> missing = httpCall("POST", "/api/internal/document/1/embed", body, "Content-Type", "application/json");
        HttpResponse<String> wrong = httpCall("POST", "/api/internal/document/1/embed", body,
                "Content-Type", "application/json", "X-Odoo-API-Key", PUSH_API_KEY + "x");
        HttpResponse<String> wrongOnDelete = httpCall("DELETE", "/api/internal/chatbot/1/cleanup", null, "X-Odoo-API-Key", "nope");
        HttpResponse<String> wrongOnJobs = httpCall("GET", "/api/internal/jobs/1", null, "X-Odoo-API-Key", "nope");
        for (HttpResponse<String> r : List.of(missing, wrong, wrongOnDelete, wrongOnJobs)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(json(r)).containsEntry("status", "error").containsEntry("error", "unauthorized");
            assertThat(r.body()).doesNotContain(PUSH_API_KEY).doesNotContain("Exception").doesNotContain("at io.");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM knowledge_base", Integer.class)).isZero();
    }

    @Test
    void malformedJsonAndInvalidFieldsAreNamed() throws Exception {
        HttpResponse<String> malformed = push("/api/internal/document/1/embed", "{\"chatbot_id\": 1, \"content\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed)).containsEntry("error", "malformed_json");
        assertThat(malformed.body()).doesNotContain("at com.").doesNotContain("at io.");

        assertThat(push("/api/internal/document/1/embed", "[1,2]").statusCode()).isEqualTo(400);
        assertThat(push("/api/internal/document/1/embed", "").statusCode()).isEqualTo(400);

        assertField(push("/api/internal/document/1/embed", "{\"content\":\"x\"}"), 422, "chatbot_id");
        assertField(push("/api/internal/document/1/embed", "{\"chatbot_id\":1}"), 422, "content");
        assertField(push("/api/internal/document/1/embed", "{\"chatbot_id\":1,\"content\":\"  \"}"), 422, "content");
        assertField(push("/api/internal/document/1/embed", "{\"chatbot_id\":{},\"content\":\"x\"}"), 422, "chatbot_id");
        assertField(push("/api/internal/document/1/embed", "{\"chatbot_id\":1,\"content\":\"x\",\"metadata\":[]}"), 422, "metadata");
        assertField(push("/api/internal/document/1/embed",
                "{\"chatbot_id\":1,\"content\":\"x\",\"metadata\":{\"file_size\":\"big\"}}"), 422, "metadata.file_size");
        assertField(push("/api/internal/document/-bad/embed", documentBody(1, "x", "x.txt")), 400, "document_id");
        assertField(push("/api/internal/link/1/embed", "{\"chatbot_id\":1}"), 422, "url");
        assertField(push("/api/internal/link/1/embed", "{\"chatbot_id\":1,\"url\":\"file:///etc/passwd\"}"), 422, "url");
        assertField(push("/api/internal/link/1/embed", "{\"chatbot_id\":1,\"url\":\"ftp://example.com/x\"}"), 422, "url");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document", Integer.class)).isZero();
    }

    @Test
    void oversizedContentIsRefusedWith413() throws Exception {
        String big = "x".repeat(1_048_577);
        HttpResponse<String> response = push("/api/internal/document/1/embed", documentBody(1, big, "big.txt"));
        assertField(response, 413, "content");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document", Integer.class)).isZero();
    }

    // ---- concurrency ------------------------------------------------------------------------------------

    @Test
    void concurrentPushesEndConsistentWithTheLastWriteWinning() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String content = "same document, version " + i;
                calls.add(() -> push("/api/internal/document/500/embed?async=true", documentBody(12, content, "same.txt")));
                String other = "document " + i;
                int chatbot = 12 + i % 2;
                // these wait for their outcome (synchronous answers under load)
                String path = "/api/internal/document/" + (600 + i) + "/embed";
                String fileName = "doc-" + i + ".txt";
                calls.add(() -> push(path, documentBody(chatbot, other, fileName)));
            }
            List<Map<String, Object>> sameAnswers = new ArrayList<>();
            List<Future<HttpResponse<String>>> futures = pool.invokeAll(calls);
            for (int i = 0; i < futures.size(); i++) {
                HttpResponse<String> response = futures.get(i).get();
                if (i % 2 == 0) {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                    sameAnswers.add(json(response));
                } else {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                    assertThat(json(response)).containsEntry("status", "success").containsEntry("document_id", 600 + i / 2);
                    assertThat((Integer) json(response).get("chunks_created")).isPositive();
                }
            }
            eventually(() -> jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE status IN ('queued', 'processing')",
                    Integer.class) == 0);

            // one document row per source, one dataset per chatbot, one RAGFlow document per source
            assertThat(jdbc.queryForObject("SELECT count(*) FROM document", Integer.class)).isEqualTo(21);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM push_source", Integer.class)).isEqualTo(21);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM knowledge_base", Integer.class)).isEqualTo(2);
            assertThat(RAGFLOW.datasets()).hasSize(2);
            assertThat(RAGFLOW.allDocuments()).hasSize(21);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM document_sync WHERE status <> 'indexed'", Integer.class)).isZero();

            // the revisions 1..20 were handed out once each; the highest one's content is on disk and in RAGFlow
            assertThat(sameAnswers).extracting(a -> a.get("revision")).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList());
            long same = documentOf("document", "500");
            String ragflowId = (String) documentSync(same).get("ragflow_document_id");
            String last = jdbc.queryForObject("SELECT file_path FROM document WHERE id = ?", String.class, same);
            String onDisk = Files.readString(STORAGE.resolve(last));
            assertThat(RAGFLOW.content(ragflowId)).isEqualTo(onDisk);
            // last write wins: the final content is the one of the push that was handed revision 20
            int lastPush = java.util.stream.IntStream.range(0, 20)
                    .filter(i -> Integer.valueOf(20).equals(sameAnswers.get(i).get("revision"))).findFirst().orElseThrow();
            assertThat(onDisk).isEqualTo("same document, version " + lastPush);
            assertThat(jdbc.queryForObject("SELECT revision FROM push_source WHERE document_id = ?", Long.class, same)).isEqualTo(20L);
            assertThat(jdbc.queryForObject("SELECT content_sha256 FROM push_source WHERE document_id = ?", String.class, same))
                    .isEqualTo(sha256(onDisk));
            for (int i = 0; i < 20; i++) {
                long doc = documentOf("document", String.valueOf(600 + i));
                assertThat(RAGFLOW.content((String) documentSync(doc).get("ragflow_document_id"))).isEqualTo("document " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }


    // ---- link fetch -------------------------------------------------------------------------------------

    static final String PAGE = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Opening hours</title>"
            + "<style>body{color:red}</style><script>var secret = 'do not index';</script></head><body>"
            + "<nav><a href=\"/\">Home</a> | <a href=\"/shop\">Shop</a></nav>"
            + "<h1>Our shop</h1><p>We open at <b>9:00</b> and close at 18:00.</p>"
            + "<ul><li>Monday to Friday</li><li>Saturday until 13:00</li></ul>"
            + "<footer>© Example Ltd</footer></body></html>";

    @Test
    void linkWithoutContentIsFetchedAndItsHtmlBecomesReadableText() throws Exception {
        List<com.sun.net.httpserver.Headers> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer server = localServer(seen);
        linkFetchGuard.setAllowPrivate(true);
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            // through a redirect, as sites do
            HttpResponse<String> response = push("/api/internal/link/31/embed", linkBody(9, base + "/moved", null));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response)).containsEntry("status", "success").containsEntry("link_id", 31);

            List<Map<String, Object>> docs = RAGFLOW.allDocuments();
            assertThat(docs).hasSize(1);
            assertThat(docs.get(0).get("name")).isEqualTo("A_page.txt");
            assertThat(RAGFLOW.content((String) docs.get(0).get("id"))).isEqualTo(
                    "Opening hours\n\nOur shop\n\nWe open at 9:00 and close at 18:00.\n\nMonday to Friday\n\nSaturday until 13:00");
            assertThat(jdbc.queryForObject("SELECT url FROM push_source WHERE source_id = '31'", String.class))
                    .isEqualTo(base + "/moved");
            // nothing of the incoming request reached the site: no API key, no Camel headers
            assertThat(seen).isNotEmpty().allSatisfy(h -> {
                assertThat(h.containsKey("X-odoo-api-key")).isFalse();
                assertThat(h.keySet()).noneMatch(k -> k.toLowerCase().startsWith("camel"));
                assertThat(h.getFirst("User-agent")).startsWith("RAGSync");
            });

            assertField(push("/api/internal/link/32/embed", linkBody(9, base + "/huge", null)), 413, "url");
            assertThat(json(push("/api/internal/link/33/embed", linkBody(9, base + "/report.pdf", null))))
                    .containsEntry("error", "unsupported_content_type");
            HttpResponse<String> missing = push("/api/internal/link/34/embed", linkBody(9, base + "/missing", null));
            assertField(missing, 422, "url");
            assertThat(json(missing).get("message").toString()).contains("HTTP 404");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM push_source", Integer.class)).isEqualTo(1);
        } finally {
            linkFetchGuard.setAllowPrivate(false);
            server.stop(0);
        }
    }

    @Test
    void linkToAnInternalAddressIsRefusedWithoutAnyRequest() throws Exception {
        List<com.sun.net.httpserver.Headers> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer server = localServer(seen);
        try {
            int port = server.getAddress().getPort();
            for (String url : List.of("http://127.0.0.1:" + port + "/page.html", "http://localhost:" + port + "/page.html",
                    "http://[::1]:" + port + "/page.html", "http://169.254.169.254/latest/meta-data/",
                    "http://10.1.2.3/", "http://192.168.0.1/")) {
                HttpResponse<String> response = push("/api/internal/link/40/embed", linkBody(9, url, null));
                assertField(response, 422, "url");
                assertThat(json(response)).as(url).containsEntry("error", "forbidden_address");
            }
            assertThat(seen).isEmpty();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM document", Integer.class)).isZero();
        } finally {
            server.stop(0);
        }
    }

    /** A page's headers are read into memory before its body limit applies: past the client's bounds, no fetch. */
    @Test
    void linkWhoseAnswerHeadersAreOverTheBoundsIsNotFetched() throws Exception {
        String longLine = "X-Padding: " + "x".repeat(2 * io.ragsync.platform.HttpHeaderLimits.MAX_LINE_LENGTH) + "\r\n";
        String manyLines = "X-Padding: x\r\n".repeat(2 * io.ragsync.platform.HttpHeaderLimits.MAX_HEADER_COUNT);
        linkFetchGuard.setAllowPrivate(true);
        try (java.net.ServerSocket longHead = rawSite(longLine); java.net.ServerSocket manyHeads = rawSite(manyLines)) {
            for (java.net.ServerSocket site : List.of(longHead, manyHeads)) {
                HttpResponse<String> response = push("/api/internal/link/35/embed",
                        linkBody(9, "http://127.0.0.1:" + site.getLocalPort() + "/page.html", null));
                assertField(response, 422, "url");
                assertThat(json(response)).containsEntry("error", "link_fetch_failed");
                // HttpCore's refusal, not a timeout
                assertThat(json(response).get("message").toString()).contains("MessageConstraintException");
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM push_source", Integer.class)).isZero();
            assertThat(RAGFLOW.allDocuments()).isEmpty();
        } finally {
            linkFetchGuard.setAllowPrivate(false);
        }
    }

    /** A site that sends its head a line at a time, each well within the read timeout, past the total fetch time. */
    @Test
    void linkWhoseHeadDripsPastTheTotalFetchTimeFailsWithTheTimeout() throws Exception {
        linkFetchGuard.setAllowPrivate(true);
        try (java.net.ServerSocket site = rawSite(out -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            // until the fetcher goes away (a write then fails), as the site would
            io.ragsync.support.DrippingHead.drip(out, 600, java.time.Duration.ofMillis(100));
        })) {
            HttpResponse<String> response = push("/api/internal/link/36/embed",
                    linkBody(9, "http://127.0.0.1:" + site.getLocalPort() + "/page.html", null));
            assertField(response, 422, "url");
            assertThat(json(response)).containsEntry("error", "link_fetch_failed");
            assertThat(json(response).get("message").toString()).contains("app.push.link-fetch.total-timeout-ms");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM push_source", Integer.class)).isZero();
        } finally {
            linkFetchGuard.setAllowPrivate(false);
        }
    }

    /** What a raw site writes on a connection once it has read the request. */
    interface RawAnswer {
        void write(java.io.OutputStream out) throws IOException, InterruptedException;
    }

    /** A site on loopback answering every request with a page whose head carries the given header lines. */
    static java.net.ServerSocket rawSite(String headerLines) throws IOException {
        byte[] answer = ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + headerLines
                + "Content-Length: 16\r\nConnection: close\r\n\r\n<p>Our shop</p>\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return rawSite(out -> out.write(answer));
    }

    /** A site on loopback writing the answer to every request, one connection after the other. */
    static java.net.ServerSocket rawSite(RawAnswer answer) throws IOException {
        java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread site = new Thread(() -> {
            while (!server.isClosed()) {
                try (java.net.Socket client = server.accept()) {
                    client.getInputStream().read(new byte[8192]);
                    answer.write(client.getOutputStream());
                } catch (IOException | InterruptedException closedOrGone) {
                    // the next request, or the end of the test
                }
            }
        }, "raw-site");
        site.setDaemon(true);
        site.start();
        return server;
    }

    /** A site on loopback: /page.html, /moved (302 to it), /huge (6 MiB, chunked), /report.pdf, else 404. */
    static com.sun.net.httpserver.HttpServer localServer(List<com.sun.net.httpserver.Headers> seen) throws IOException {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestHeaders());
            try (exchange) {
                switch (exchange.getRequestURI().getPath()) {
                    case "/page.html" -> {
                        byte[] page = PAGE.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                        exchange.sendResponseHeaders(200, page.length);
                        exchange.getResponseBody().write(page);
                    }
                    case "/moved" -> {
                        exchange.getResponseHeaders().add("Location", "/page.html");
                        exchange.sendResponseHeaders(302, -1);
                    }
                    case "/huge" -> {
                        exchange.getResponseHeaders().add("Content-Type", "text/html");
                        exchange.sendResponseHeaders(200, 0);
                        byte[] chunk = "<p>filler</p>".repeat(5000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        try {
                            for (int written = 0; written < 6 * 1024 * 1024; written += chunk.length) {
                                exchange.getResponseBody().write(chunk);
                            }
                        } catch (IOException clientGaveUp) {
                            // the fetcher stops reading at its limit
                        }
                    }
                    case "/report.pdf" -> {
                        exchange.getResponseHeaders().add("Content-Type", "application/pdf");
                        exchange.sendResponseHeaders(200, 4);
                        exchange.getResponseBody().write("%PDF".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                    default -> exchange.sendResponseHeaders(404, -1);
                }
            }
        });
        server.start();
        return server;
    }

    // ---- OpenAPI and metrics ----------------------------------------------------------------------------

    @Test
    void openApiDescriptionListsThePushEndpointsAndMetricsAreExposed() throws Exception {
        HttpResponse<String> openapi = httpGet("/api/openapi.json");
        assertThat(openapi.statusCode()).isEqualTo(200);
        Map<String, Object> doc = json(openapi);
        @SuppressWarnings("unchecked")
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        assertThat(paths).containsKeys("/api/internal/document/{document_id}/embed", "/api/internal/link/{link_id}/embed",
                "/api/internal/chatbot/{chatbot_id}/source/{source_type}/{source_id}",
                "/api/internal/chatbot/{chatbot_id}/cleanup", "/api/internal/jobs/{id}", "/api/internal/sync/retry");
        assertThat(openapi.body()).contains("X-Odoo-API-Key");

        assertThat(push("/api/internal/document/1/embed", documentBody(1, "metrics", "m.txt")).statusCode()).isEqualTo(200);
        assertThat(httpCall("GET", "/api/internal/jobs/1", null).statusCode()).isEqualTo(401);
        assertThat(meters.find("ragsync.push.requests").tags("endpoint", "document-embed", "status", "200").counter())
                .isNotNull().satisfies(c -> assertThat(c.count()).isPositive());
        assertThat(meters.find("ragsync.http.refusals").tags("family", "push", "status", "401", "reason", "unauthorized").counter())
                .isNotNull().satisfies(c -> assertThat(c.count()).isPositive());
        assertThat(meters.find("ragsync.push.store").tags("source_type", "document").timer()).isNotNull()
                .satisfies(t -> assertThat(t.count()).isPositive());
        assertThat(meters.find("ragsync.push.sync.time.ms").tags("endpoint", "document-embed", "state", "synced").summary())
                .isNotNull().satisfies(t -> assertThat(t.count()).isPositive());
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** RAGFlow refuses every upload (a permanent error: no retries) until the returned stub is removed. */
    static StubMapping failUploads() {
        return RAGFLOW.wireMock().stubFor(WireMock.post(WireMock.urlPathMatching("/api/v1/datasets/[^/]+/documents"))
                .atPriority(1).willReturn(WireMock.okJson("{\"code\":101,\"message\":\"No file part!\"}")));
    }

    static String documentBody(Object chatbot, String content, String fileName) throws IOException {
        return JSON.writeValueAsString(Map.of("chatbot_id", chatbot, "content", content, "metadata",
                Map.of("filename", fileName, "file_type", "text/plain", "file_size", content.length(),
                        "uploaded_at", "2026-11-23T10:00:00Z")));
    }

    static String linkBody(Object chatbot, String url, String content) throws IOException {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("chatbot_id", chatbot);
        body.put("url", url);
        if (content != null) {
            body.put("content", content);
        }
        body.put("metadata", Map.of("title", "A page", "scraped_at", "2026-11-23T10:00:00Z"));
        return JSON.writeValueAsString(body);
    }

    HttpResponse<String> push(String path, String body) throws IOException, InterruptedException {
        return httpCall("POST", path, body, "Content-Type", "application/json", "X-Odoo-API-Key", PUSH_API_KEY);
    }

    HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        return body == null
                ? httpCall(method, path, null, "X-Odoo-API-Key", PUSH_API_KEY)
                : httpCall(method, path, body, "Content-Type", "application/json", "X-Odoo-API-Key", PUSH_API_KEY);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return call("GET", path, null);
    }

    static Map<String, Object> json(HttpResponse<String> response) throws IOException {
        return JSON.readValue(response.body(), new TypeReference<>() { });
    }

    long documentOf(String sourceType, String sourceId) {
        return jdbc.queryForObject("SELECT document_id FROM push_source WHERE source_type = ? AND source_id = ?",
                Long.class, sourceType, sourceId);
    }

    static void assertField(HttpResponse<String> response, int status, String field) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response)).as(response.body()).containsEntry("status", "error").containsEntry("field", field);
    }

    static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Where each job of the document came from, and what its job log says about it. */
    private List<String> jobSourcesAndLog(long documentId) {
        return jdbc.queryForList("SELECT j.source FROM sync_job j WHERE j.document_id = ? UNION ALL"
                + " SELECT l.message FROM sync_job_log l JOIN sync_job j ON j.id = l.job_id"
                + " WHERE j.document_id = ? AND l.event IN ('enqueued', 'coalesced')", String.class, documentId, documentId);
    }
}
