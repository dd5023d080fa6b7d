package io.ragsync.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.HubTestSupport;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A rejected API key ends jobs config_error without retries or a request storm; requeue resumes them. */
class ConfigErrorTest extends HubTestSupport {


    @Test
    void aJobClaimedJustAsTheKeyIsRejectedGoesBackAndFreesItsWorker() throws Exception {
        long kb = knowledgeBase("Claimed while paused");
        writeFile("paused/doc.txt", "waits for the key");
        gate.pause("RAGFlow rejected the API key (HTTP 401)");
        try {
            long doc = document(kb, "Doc", "paused/doc.txt");
            // claimed as the poller does just before the gate closed: a reserved worker, a processing row
            Map<String, Object> row = jdbc.queryForMap("UPDATE sync_job SET status = 'processing', started_at = now()"
                    + " WHERE document_id = ? AND status = 'queued' RETURNING id AS job_id, document_id,"
                    + " knowledge_base_id, op, source, target, retry_count", doc);
            // the poller holds places only while it claims: with nothing to claim they all come free between polls
            eventually(() -> slots.busy() == 0);
            assertThat(slots.reserve(1, 1000)).isEqualTo(1);

            camel.createProducerTemplate().sendBody("direct:job-run", row);

            eventually(() -> slots.busy() == 0);
            assertThat(latestJob(doc).get("status")).isEqualTo("queued");
        } finally {
            gate.reopen();
        }
    }

    @Test
    void rejectedKeyEndsConfigErrorWithoutRetriesThenRequeueResumes() throws Exception {
        RAGFLOW.acceptKey("ragflow-someOtherKey");
        long kb = knowledgeBase("Locked");
        long[] docs = new long[8];
        for (int i = 0; i < docs.length; i++) {
            writeFile("locked/doc" + i + ".txt", "content " + i);
            docs[i] = document(kb, "Doc " + i, "locked/doc" + i + ".txt");
        }
        Map<String, Object> first = awaitJob(docs[0], "config_error", "queued");
        eventually(() -> !gate.allowsRequests());
        awaitQuiet();

        // at most one request per job that was already running when the key was rejected, none retried
        List<Map<String, Object>> jobs = jdbc.queryForList("SELECT status, retry_count FROM sync_job ORDER BY id");
        long configErrors = jobs.stream().filter(j -> "config_error".equals(j.get("status"))).count();
        assertThat(configErrors).isBetween(1L, 3L); // app.jobs.parallelism in the tests
        assertThat(jobs).allSatisfy(j -> {
            assertThat(j.get("status")).isIn("config_error", "queued");
            assertThat(j.get("retry_count")).isEqualTo(0);
        });
        assertThat(RAGFLOW.requestCount()).isEqualTo((int) configErrors);
        assertThat((String) latestJob(docs[0]).get("last_error")).isNotNull();
        String configErrorDocStatus = jdbc.queryForObject(
                "SELECT status FROM document_sync WHERE status = 'config_error' LIMIT 1", String.class);
        assertThat(configErrorDocStatus).isEqualTo("config_error");

        // the operator fixes the key and requeues
        RAGFLOW.acceptKey(io.ragsync.support.RagflowStub.API_KEY);
        HttpResponse<String> response = httpPost("/api/jobs/requeue", "{\"status\":\"config_error\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"requeued\":" + configErrors + "}");
        for (long doc : docs) {
            assertThat(awaitJob(doc, "indexed", "failed").get("status")).isEqualTo("indexed");
        }
        assertThat(RAGFLOW.documents(datasetOf(kb))).hasSize(docs.length);
        assertThat(first).isNotNull();
    }

    @Test
    void legacyServersAnswerABadKeyWithCode109AndThatIsAConfigErrorToo() {
        RAGFLOW.acceptKey("ragflow-someOtherKey");
        RAGFLOW.legacyAuth(true);
        writeFile("legacy/doc.txt", "old server");
        long doc = document(knowledgeBase("Legacy"), "Doc", "legacy/doc.txt");

        Map<String, Object> job = awaitJob(doc, "config_error");
        assertThat((String) job.get("last_error")).contains("code 109");
        assertThat(job.get("retry_count")).isEqualTo(0);
    }
}
