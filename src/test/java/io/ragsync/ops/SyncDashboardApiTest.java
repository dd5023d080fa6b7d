package io.ragsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ragsync.ops.OpsTestSupport;
import java.net.http.HttpResponse;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;

/** routes/ops/sync-dashboard.camel.yaml: the JSON behind the dashboard, over real HTTP with the operator login. */
@ExtendWith(OutputCaptureExtension.class)
class SyncDashboardApiTest extends OpsTestSupport {

    @Autowired
    private ProducerTemplate producer;

    @Test
    void overviewCountsQueueProgressAndPause() throws Exception {
        long kb = knowledgeBase("Overview");
        long indexed = documentWithFile(kb, "Indexed", "overview/indexed.txt", "indexed");
        long missing = document(kb, "Missing", "overview/missing.txt");
        awaitJob(indexed, "indexed");
        awaitJob(missing, "download_failed");
        gate.pause("RAGFlow rejected the API key (HTTP 401)");
        documentWithFile(kb, "Waiting 1", "overview/w1.txt", "w1");
        documentWithFile(kb, "Waiting 2", "overview/w2.txt", "w2");

        HttpResponse<String> response = operator.get("/ops/api/overview");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("application/json"));
        JsonNode overview = mapper.readTree(response.body());
        assertThat(overview.at("/counts/indexed").asInt()).isEqualTo(1);
        assertThat(overview.at("/counts/download_failed").asInt()).isEqualTo(1);
        assertThat(overview.at("/counts/queued").asInt()).isEqualTo(2);
        assertThat(overview.at("/queue/depth").asInt()).isEqualTo(2);
        assertThat(overview.at("/queue/due").asInt()).isEqualTo(2);
        assertThat(overview.at("/queue/oldestAgeSeconds").asLong()).isGreaterThanOrEqualTo(0);
        // the bulk: the two queued jobs are the oldest pending ones, nothing of them is done yet
        assertThat(overview.at("/progress/total").asInt()).isEqualTo(2);
        assertThat(overview.at("/progress/done").asInt()).isEqualTo(0);
        assertThat(overview.at("/progress/remaining").asInt()).isEqualTo(2);
        assertThat(overview.at("/progress/ratePerMinute").asDouble()).isPositive();
        assertThat(overview.at("/progress/etaSeconds").asLong()).isPositive();
        assertThat(overview.at("/ragflow/jobsPaused").asBoolean()).isTrue();
        assertThat(overview.at("/ragflow/reason").asText()).contains("HTTP 401");

        gate.reopen();
        eventually(() -> mapper.readTree(operator.get("/ops/api/overview").body()).at("/progress/total").asInt() == 0);
        JsonNode done = mapper.readTree(operator.get("/ops/api/overview").body());
        assertThat(done.at("/counts/indexed").asInt()).isEqualTo(3);
        assertThat(done.at("/progress/percent").asDouble()).isEqualTo(100.0);
        assertThat(done.at("/ragflow/jobsPaused").asBoolean()).isFalse();
    }

    @Test
    void waitingJobsOldestFirstAndRecentFailuresWithErrors() throws Exception {
        long kb = knowledgeBase("Lists");
        long missing = document(kb, "Missing file", "lists/missing.txt");
        awaitJob(missing, "download_failed");
        gate.pause("test");
        long first = documentWithFile(kb, "First", "lists/first.txt", "1");
        long second = documentWithFile(kb, "Second", "lists/second.txt", "2");
        jdbc.update("UPDATE sync_job SET created_at = now() - INTERVAL '1 hour' WHERE document_id = ?", second);

        JsonNode waiting = mapper.readTree(operator.get("/ops/api/waiting").body());
        assertThat(waiting).hasSize(2);
        assertThat(waiting.get(0).get("documentId").asLong()).isEqualTo(second);
        assertThat(waiting.get(0).get("ageSeconds").asLong()).isGreaterThanOrEqualTo(3600);
        assertThat(waiting.get(1).get("documentId").asLong()).isEqualTo(first);
        assertThat(waiting.get(1).get("title").asText()).isEqualTo("First");
        assertThat(mapper.readTree(operator.get("/ops/api/waiting?limit=1").body())).hasSize(1);

        JsonNode failures = mapper.readTree(operator.get("/ops/api/failures").body());
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).get("documentId").asLong()).isEqualTo(missing);
        assertThat(failures.get(0).get("status").asText()).isEqualTo("download_failed");
        assertThat(failures.get(0).get("lastError").asText()).isNotBlank();
        assertThat(failures.get(0).get("requeueable").asBoolean()).isTrue();
        gate.reopen();
    }

    @Test
    void aBulkOfPendingJobsIsLoggedWithDoneTotalAndRate(CapturedOutput output) throws Exception {
        long kb = knowledgeBase("Bulk");
        long done = documentWithFile(kb, "Done", "bulk/done.txt", "done");
        awaitJob(done, "indexed");
        gate.pause("test");
        jdbc.update("UPDATE sync_job SET created_at = now() - INTERVAL '1 minute'");
        for (int i = 0; i < 24; i++) {
            document(kb, "Pending " + i, "bulk/pending-" + i + ".txt");
        }
        producer.sendBody("direct:ops-log-progress", null);
        assertThat(output.getOut()).contains("sync progress: 0/24 jobs done (0.0%, 0 failed), 24 remaining since")
                .containsPattern("rate 0\\.2 jobs/min, ETA \\d+ s");
        // a small backlog is not a bulk: no line
        jdbc.update("DELETE FROM sync_job WHERE status = 'queued' AND document_id IN"
                + " (SELECT id FROM document WHERE title LIKE 'Pending 1%')");
        int before = output.getOut().split("sync progress:").length;
        producer.sendBody("direct:ops-log-progress", null);
        assertThat(output.getOut().split("sync progress:").length).isEqualTo(before);
        gate.reopen();
        jdbc.update("DELETE FROM sync_job WHERE status = 'queued'");
    }

    @Test
    void badLimitsAreRejected() throws Exception {
        for (String limit : new String[] {"0", "abc", "501", "-1"}) {
            HttpResponse<String> response = operator.get("/ops/api/failures?limit=" + limit);
            assertThat(response.statusCode()).as("limit=%s", limit).isEqualTo(400);
            assertThat(mapper.readTree(response.body()).get("message").asText()).contains("limit");
        }
    }
}
