package io.ragsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.support.HubTestSupport;
import io.ragsync.support.RagflowStub;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/** routes/ops/sync-status-api.camel.yaml and routes/sources/backend/backend-sync-api.camel.yaml over real HTTP. */
class SyncStatusApiTest extends HubTestSupport {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void syncStatusShowsRagflowIdsAndHistory() throws Exception {
        long kb = knowledgeBase("Status");
        long doc = documentWithFile(kb, "Doc", "api/doc.txt", "status please");
        awaitJob(doc, "indexed");

        HttpResponse<String> response = httpGet("/api/documents/" + doc + "/sync-status");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        JsonNode status = mapper.readTree(response.body());
        assertThat(status.get("documentId").asLong()).isEqualTo(doc);
        assertThat(status.get("status").asText()).isEqualTo("indexed");
        assertThat(status.at("/ragflow/datasetId").asText()).isEqualTo(datasetOf(kb));
        assertThat(status.at("/ragflow/documentId").asText()).isEqualTo(documentSync(doc).get("ragflow_document_id"));
        assertThat(status.get("target").asText()).isEqualTo("ragflow");
        assertThat(status.get("run").asText()).isEqualTo("DONE");
        assertThat(status.get("chunkCount").asInt()).isPositive();
        assertThat(status.get("history")).hasSize(1);
        assertThat(status.at("/history/0/status").asText()).isEqualTo("indexed");
        assertThat(status.at("/history/0/log")).extracting(JsonNode::toString).asString()
                .contains("enqueued").contains("parsing").contains("indexed");
        assertThat(response.body()).doesNotContain(RagflowStub.API_KEY);
    }

    /**
     * A running job shows its holder and lease in the document's sync status; a release is refused (409) while the
     * holder's lease is live and puts the job back in the queue once it ran out (the holder is gone).
     */
    @Test
    void aJobIsReleasedOnlyOnceItsHoldersLeaseRanOut() throws Exception {
        long doc = documentWithFile(knowledgeBase("Release"), "Doc", "api/release.txt", "held elsewhere");
        awaitJob(doc, "indexed");
        // the lease recovery would take the job back within a second here: the release is what is tested
        camel.getRouteController().suspendRoute("job-maintenance");
        try {
            long job = jdbc.queryForObject("INSERT INTO sync_job (document_id, knowledge_base_id, op, status, phase,"
                    + " claimed_by, claim_token, started_at, lease_until) SELECT id, knowledge_base_id, 'upsert',"
                    + " 'processing', 'sync', 'other-instance', 'other-process', now(), now() + interval '10 minutes'"
                    + " FROM document WHERE id = ? RETURNING id", Long.class, doc);
            JsonNode history = mapper.readTree(httpGet("/api/documents/" + doc + "/sync-status").body()).at("/history/0");
            assertThat(history.get("claimedBy").asText()).isEqualTo("other-instance");
            assertThat(history.get("leaseUntil").isNull()).isFalse();

            HttpResponse<String> refused = httpPost("/api/jobs/" + job + "/release", "");
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(latestJob(doc)).containsEntry("status", "processing").containsEntry("claimed_by", "other-instance");

            jdbc.update("UPDATE sync_job SET lease_until = now() - interval '1 second' WHERE id = ?", job);
            // the progress log line gives no time estimate while a gone holder's job counts as running
            Map<String, Object> progress = jdbc.queryForMap(new String(
                    new ClassPathResource("sql/ops/select-sync-progress.sql").getContentAsByteArray(), StandardCharsets.UTF_8));
            assertThat(progress.get("eta_seconds")).isNull();
            assertThat((String) progress.get("eta")).isEqualTo("unknown (1 job(s) held by a gone process)");
            HttpResponse<String> released = httpPost("/api/jobs/" + job + "/release", "");
            assertThat(released.statusCode()).isEqualTo(200);
            assertThat(mapper.readTree(released.body()).get("status").asText()).isEqualTo("queued");
            assertThat(awaitJob(doc, "indexed")).containsEntry("id", job).containsEntry("retry_count", 0);
            assertThat(httpPost("/api/jobs/" + job + "/release", "").statusCode()).as("no longer running").isEqualTo(409);
            assertThat(httpPost("/api/jobs/987654321/release", "").statusCode()).isEqualTo(404);
            assertThat(httpPost("/api/jobs/x1/release", "").statusCode()).isEqualTo(400);
        } finally {
            jdbc.update("UPDATE sync_job SET status = 'failed', lease_until = NULL WHERE claimed_by = 'other-instance'"
                    + " AND status = 'processing'");
            camel.getRouteController().resumeRoute("job-maintenance");
        }
    }

    @Test
    void enqueueEndpointQueuesASyncAndCoalesces() throws Exception {
        long kb = knowledgeBase("Enqueue");
        long doc = documentWithFile(kb, "Again", "api/again.txt", "again");
        awaitJob(doc, "indexed");

        HttpResponse<String> response = httpPost("/api/documents/" + doc + "/sync", "");
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = mapper.readTree(response.body());
        assertThat(body.get("documentId").asLong()).isEqualTo(doc);
        assertThat(body.get("status").asText()).isEqualTo("queued");
        long jobId = body.get("jobId").asLong();
        eventually(() -> "indexed".equals(jdbc.queryForObject("SELECT status FROM sync_job WHERE id = ?", String.class, jobId)));
        assertThat(jdbc.queryForObject("SELECT source FROM sync_job WHERE id = ?", String.class, jobId)).isEqualTo("api");
    }

    /**
     * Request headers and query parameters become message headers: no answer, success or error, carries them back
     * (no planted CORS grant, cookie, redirect or retry delay, no echoed key), and each still answers JSON.
     */
    @Test
    void answersCarryNoRequestHeaderOrQueryParameter() throws Exception {
        long doc = documentWithFile(knowledgeBase("Echo"), "Echo", "api/echo.txt", "echo");
        awaitJob(doc, "indexed");
        String query = "?Access-Control-Allow-Origin=https%3A%2F%2Fevil.example&Access-Control-Allow-Credentials=true"
                + "&Set-Cookie=planted%3D1&Refresh=0%3Burl%3Dhttps%3A%2F%2Fevil.example"
                + "&Location=https%3A%2F%2Fevil.example&Retry-After=9&Cache-Control=public"
                + "&Content-Type=text%2Fhtml&Content-Encoding=gzip";
        String key = apiKey();
        String json = "application/json";
        List<HttpResponse<String>> answers = List.of(
                httpCall("GET", "/api/documents/" + doc + "/sync-status" + query, null, "X-Echo", "evil.example"),
                httpCall("GET", "/api/documents/987654/sync-status" + query, null, "X-API-Key", key),
                httpCall("POST", "/api/documents/" + doc + "/sync" + query, null, "Authorization", "Bearer " + key,
                        "Retry-After", "9"),
                httpCall("POST", "/api/jobs/requeue" + query, "{}", "Content-Type", json, "X-API-Key", key),
                httpCall("POST", "/api/jobs/requeue" + query, "{\"status\":", "Content-Type", json, "X-API-Key", key));
        assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 404, 202, 200, 400);
        for (HttpResponse<String> answer : answers) {
            String call = answer.request().method() + " " + answer.uri().getPath();
            for (String planted : List.of("Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Refresh",
                    "Location", "Retry-After", "Content-Encoding", "X-Echo", "X-API-Key", "Authorization")) {
                assertThat(answer.headers().allValues(planted)).as(call + " " + planted).isEmpty();
            }
            assertThat(answer.headers().allValues("Set-Cookie")).as(call).noneMatch(c -> c.startsWith("planted"));
            assertThat(answer.headers().allValues("Cache-Control")).as(call).doesNotContain("public");
            assertThat(answer.headers().firstValue("Content-Type")).as(call).hasValueSatisfying(t -> assertThat(t).startsWith(json));
            assertThat(mapper.readTree(answer.body()).isObject()).as(call).isTrue();
        }
    }

    @Test
    void unknownAndMalformedIdsGetJsonErrors() throws Exception {
        HttpResponse<String> unknown = httpGet("/api/documents/987654/sync-status");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(mapper.readTree(unknown.body()).get("error").asText()).isEqualTo("not_found");

        HttpResponse<String> notANumber = httpGet("/api/documents/abc/sync-status");
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(notANumber.body()).get("message").asText()).contains("positive number");
        // 19 digits do not fit a BIGINT: refused as malformed, never a database error
        HttpResponse<String> tooLong = httpPost("/api/jobs/1234567890123456789/release", "");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(tooLong.body()).get("message").asText()).isEqualTo("job id must be a positive number");
        HttpResponse<String> hold = httpPost("/api/reconcile/holds/-1/approve", "");
        assertThat(hold.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(hold.body()).get("message").asText()).isEqualTo("hold id must be a positive number");

        HttpResponse<String> enqueueUnknown = httpPost("/api/documents/987654/sync", "");
        assertThat(enqueueUnknown.statusCode()).isEqualTo(404);

        HttpResponse<String> badStatus = httpPost("/api/jobs/requeue", "{\"status\":\"indexed\"}");
        assertThat(badStatus.statusCode()).isEqualTo(400);
        HttpResponse<String> badJson = httpPost("/api/jobs/requeue", "{\"status\":");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(badJson.body()).contains("malformed JSON").doesNotContain("at com.");
        assertThat(mapper.readTree(badJson.body()).get("error").asText()).isEqualTo("bad_request");
        HttpResponse<String> notAnObject = httpPost("/api/jobs/requeue", "[\"failed\"]");
        assertThat(notAnObject.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(notAnObject.body()).get("field").asText()).isEqualTo("body");
        // a body that looks like a property placeholder is data, not configuration
        HttpResponse<String> placeholder = httpPost("/api/jobs/requeue", "{\"status\":\"{{no.such.key}}\"}");
        assertThat(placeholder.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(placeholder.body()).get("field").asText()).isEqualTo("status");
        assertThat(placeholder.body()).contains("must be one of").doesNotContain(RagflowStub.API_KEY);
    }

    @Test
    void requeueOfOneDocumentOnlyTouchesThatDocument() throws Exception {
        long kb = knowledgeBase("Requeue");
        long missing = document(kb, "Missing", "requeue/missing.txt");
        long other = document(kb, "Other", "requeue/other.txt");
        awaitJob(missing, "download_failed");
        awaitJob(other, "download_failed");
        writeFile("requeue/missing.txt", "now it exists");

        HttpResponse<String> response = httpPost("/api/jobs/requeue", "{\"documentId\":" + missing + "}");
        assertThat(response.body()).isEqualTo("{\"requeued\":1}");
        assertThat(awaitJob(missing, "indexed").get("status")).isEqualTo("indexed");
        assertThat(latestJob(other).get("status")).isEqualTo("download_failed");
    }
}
