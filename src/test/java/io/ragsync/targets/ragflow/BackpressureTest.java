package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ragsync.ops.OpsTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Backpressure on RAGFlow: while RAGFlow's parse queue falls behind (or too many of our documents parse there),
 * new uploads wait in the queue unclaimed, no attempt counted; other targets go on; the dashboard says why.
 */
class BackpressureTest extends OpsTestSupport {


    @Test
    void uploadsWaitWhileRagflowsQueueFallsBehindAndGoOnWhenItCatchesUp() throws Exception {
        RAGFLOW.parsePollsToFinish(1_000_000);
        long kb = knowledgeBase("Backpressure");
        long slow = documentWithFile(kb, "Slow", "backpressure/slow.txt", "RAGFlow parses this for ages");
        eventually(() -> "parsing".equals(latestJob(slow).get("phase")));
        // RAGFlow has been parsing it for half an hour (over the backlog limit, within the parse timeout)
        jdbc.update("UPDATE sync_job SET parse_started_at = now() - INTERVAL '30 minutes' WHERE document_id = ?", slow);

        long waiting = documentWithFile(kb, "Waiting", "backpressure/waiting.txt", "waits for RAGFlow");
        long local = localKnowledgeBase("Backpressure local");
        long other = documentWithFile(local, "Local", "backpressure/local.txt", "the local index is not held back");
        awaitJob(other, "indexed");
        double polls = counterTotal("ragsync.jobs.polls");
        eventually(() -> counterTotal("ragsync.jobs.polls") >= polls + 3);

        assertThat(latestJob(waiting)).containsEntry("status", "queued").containsEntry("retry_count", 0);
        assertThat(RAGFLOW.uploadCount()).isEqualTo(1);
        JsonNode ragflow = mapper.readTree(operator.get("/ops/api/overview").body()).get("ragflow");
        assertThat(ragflow.get("holdingBack").asBoolean()).isTrue();
        assertThat(ragflow.get("holdingBackReason").asText()).contains("falling behind");
        assertThat(ragflow.get("parsing").asInt()).isEqualTo(1);
        assertThat(ragflow.get("uploadsWaiting").asInt()).isEqualTo(1);

        // RAGFlow catches up: the upload goes on, as its first attempt
        jdbc.update("UPDATE sync_job SET parse_started_at = now() WHERE document_id = ?", slow);
        eventually(() -> "parsing".equals(latestJob(waiting).get("phase")));
        assertThat(latestJob(waiting).get("retry_count")).isEqualTo(0);
        assertThat(RAGFLOW.uploadCount()).isEqualTo(2);
        assertThat(mapper.readTree(operator.get("/ops/api/overview").body()).at("/ragflow/holdingBack").asBoolean())
                .isFalse();
        RAGFLOW.parsePollsToFinish(1);
        awaitJob(slow, "indexed");
        awaitJob(waiting, "indexed");
    }
}
