package io.ragsync.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ragsync.ops.OpsHttp;
import io.ragsync.ops.OpsTestSupport;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A document over the local index's chunk cap (app.index.chunking.max-chunks, 100) is stored in part and ends
 * 'truncated' with the reason: in sync-status, on the dashboard's list and in the metrics; never plain 'indexed'.
 */
class TruncatedDocumentStateTest extends OpsTestSupport {

    @Autowired
    private ProducerTemplate producer;

    @Test
    void aDocumentOverTheChunkCapEndsTruncatedWithItsReasonEverywhere() throws Exception {
        long kb = localKnowledgeBase("Manuals");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 150; i++) {
            text.append("Section ").append(i).append(". ")
                    .append("The pump of model ").append(i).append(" is serviced every spring by the facilities team. ".repeat(14))
                    .append("\n\n");
        }
        long doc = documentWithFile(kb, "Pump manual", "manuals/pumps.txt", text.toString());
        long small = documentWithFile(kb, "Short note", "manuals/note.txt", "The pumps are quiet.");

        Map<String, Object> job = awaitJob(doc, "indexed", "truncated", "failed");
        assertThat(job.get("status")).isEqualTo("truncated");
        assertThat((String) job.get("last_error")).contains("100 of").contains("not searchable");
        assertThat(awaitJob(small, "indexed", "truncated", "failed").get("status")).isEqualTo("indexed");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM index_chunk WHERE source_id = ?", Integer.class,
                String.valueOf(doc))).isEqualTo(100);

        JsonNode status = mapper.readTree(httpGet("/api/documents/" + doc + "/sync-status").body());
        assertThat(status.get("status").asText()).isEqualTo("truncated");
        assertThat(status.get("lastError").asText()).contains("100 of").contains("max-chunks");
        assertThat(status.get("chunkCount").asInt()).isEqualTo(100);

        JsonNode listed = null;
        for (JsonNode row : mapper.readTree(operator.get("/ops/api/failures").body())) {
            if (row.get("documentId").asLong() == doc) {
                listed = row;
            }
        }
        assertThat(listed).as("the dashboard lists the truncated document").isNotNull();
        assertThat(listed.get("status").asText()).isEqualTo("truncated");
        assertThat(listed.get("lastError").asText()).contains("not searchable");
        JsonNode counts = mapper.readTree(operator.get("/ops/api/overview").body()).get("counts");
        assertThat(counts.get("truncated").asInt()).isEqualTo(1);

        producer.sendBody("direct:ops-refresh-metrics", null);
        String scrape = OpsHttp.anonymous(port).get("/actuator/prometheus").body();
        assertThat(gauge(scrape, "ragsync_documents_truncated")).isEqualTo(1);
        assertThat(OpsMetricsTest.value(scrape, "ragsync_jobs", "status=\"truncated\"")).isEqualTo(1);
        assertThat(OpsMetricsTest.value(scrape, "ragsync_sync_outcomes_total", "outcome=\"truncated\"")).isPositive();

        // after the cap is raised the operator runs the truncated documents again
        Object firstEnd = job.get("ended_at");
        HttpResponse<String> requeued = httpPost("/api/jobs/requeue", "{\"status\":\"truncated\"}");
        assertThat(requeued.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(requeued.body()).get("requeued").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Map<String, Object> again = latestJob(doc);
            return "truncated".equals(again.get("status")) && !firstEnd.equals(again.get("ended_at"));
        });
    }

    /** The value of a metric with or without labels in a Prometheus scrape. */
    private static double gauge(String scrape, String metric) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(metric)
                + "(\\{[^}]*\\})? (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(metric + " in the scrape").isTrue();
        return Double.parseDouble(m.group(2));
    }
}
