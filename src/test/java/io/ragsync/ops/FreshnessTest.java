package io.ragsync.ops;

import static io.ragsync.ops.OpsMetricsTest.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Freshness: change at the source to searchable, as a histogram, on /ops, and stale in health and a metric. */
class FreshnessTest extends OpsTestSupport {

    @Autowired
    private ProducerTemplate producer;

    @Test
    void timeFromChangeToSearchableIsMeasuredPerKnowledgeBaseAndSource() throws Exception {
        long kb = knowledgeBase("Fresh");
        String labels = "knowledge_base=\"" + kb + "\",source=\"backend\"";
        // the registry outlives the tests of the shared hub: count what this test adds
        String before = anonymous.get("/actuator/prometheus").body();
        double count = valueOrZero(before, "ragsync_freshness_seconds_count", labels);
        double sum = valueOrZero(before, "ragsync_freshness_seconds_sum", labels);
        double underThreshold = valueOrZero(before, "ragsync_freshness_seconds_bucket", labels + ",le=\"900.0\"");
        gate.pause("held by the test");
        long doc = documentWithFile(kb, "Fresh", "fresh/a.txt", "fresh content");
        // the change happened two minutes before the hub could take it
        jdbc.update("UPDATE sync_job SET changed_at = now() - INTERVAL '120 seconds' WHERE document_id = ?", doc);
        gate.reopen();
        awaitJob(doc, "indexed");

        producer.sendBody("direct:ops-refresh-metrics", null);
        String scrape = anonymous.get("/actuator/prometheus").body();
        assertThat(value(scrape, "ragsync_freshness_seconds_count", labels)).isEqualTo(count + 1);
        assertThat(value(scrape, "ragsync_freshness_seconds_sum", labels) - sum).isBetween(120.0, 600.0);
        assertThat(value(scrape, "ragsync_freshness_seconds_bucket", labels + ",le=\"900.0\"")).isEqualTo(underThreshold + 1);
        // refreshed again, the job is not counted twice
        producer.sendBody("direct:ops-refresh-metrics", null);
        assertThat(value(anonymous.get("/actuator/prometheus").body(), "ragsync_freshness_seconds_count", labels))
                .isEqualTo(count + 1);

        JsonNode row = row(kb);
        assertThat(row.get("source").asText()).isEqualTo("backend");
        assertThat(row.get("searchableLastHour").asInt()).isEqualTo(1);
        assertThat(row.get("p50Seconds").asDouble()).isBetween(120.0, 600.0);
        assertThat(row.get("p95Seconds").asDouble()).isBetween(120.0, 600.0);
        assertThat(row.get("staleDocuments").asInt()).isZero();
    }

    @Test
    void aChangeWaitingLongerThanTheThresholdTurnsHealthAndMetricStaleUntilItIsSearchable() throws Exception {
        long kb = knowledgeBase("Stale");
        gate.pause("held by the test");
        long doc = documentWithFile(kb, "Stale", "stale/a.txt", "stale content");
        jdbc.update("UPDATE sync_job SET changed_at = now() - INTERVAL '2 hours' WHERE document_id = ?", doc);

        producer.sendBody("direct:ops-refresh-metrics", null);
        assertThat(value(anonymous.get("/actuator/prometheus").body(), "ragsync_freshness_stale", "")).isEqualTo(1);
        JsonNode health = mapper.readTree(operator.get("/actuator/health").body());
        assertThat(health.at("/components/freshness/status").asText()).isEqualTo("STALE");
        assertThat(health.at("/components/freshness/details/state").asText()).isEqualTo("stale");
        assertThat(health.at("/components/freshness/details/staleDocuments").asInt()).isEqualTo(1);
        assertThat(health.at("/components/freshness/details/oldestWaitSeconds").asLong()).isGreaterThanOrEqualTo(7200);
        // stale is reported, not a reason to unroute the hub
        assertThat(anonymous.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        JsonNode row = row(kb);
        assertThat(row.get("staleDocuments").asInt()).isEqualTo(1);
        assertThat(row.get("oldestStaleSeconds").asLong()).isGreaterThanOrEqualTo(7200);

        gate.reopen();
        awaitJob(doc, "indexed");
        producer.sendBody("direct:ops-refresh-metrics", null);
        assertThat(value(anonymous.get("/actuator/prometheus").body(), "ragsync_freshness_stale", "")).isZero();
        health = mapper.readTree(operator.get("/actuator/health").body());
        assertThat(health.at("/components/freshness/details/state").asText()).isEqualTo("fresh");
        assertThat(row(kb).get("p95Seconds").asDouble()).isGreaterThanOrEqualTo(7200);
    }

    private static double valueOrZero(String scrape, String metric, String labels) {
        try {
            return value(scrape, metric, labels);
        } catch (AssertionError absent) {
            return 0;
        }
    }

    private JsonNode row(long kb) throws Exception {
        JsonNode freshness = mapper.readTree(operator.get("/ops/api/freshness").body());
        assertThat(freshness.get("thresholdSeconds").asInt()).isEqualTo(900);
        for (JsonNode row : freshness.get("rows")) {
            if (row.get("knowledgeBaseId").asLong() == kb) {
                return row;
            }
        }
        throw new AssertionError("no freshness row for knowledge base " + kb + ": " + freshness);
    }
}
