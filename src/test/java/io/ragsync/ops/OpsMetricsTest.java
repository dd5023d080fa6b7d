package io.ragsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.ops.OpsHttp;
import io.ragsync.support.HubTestSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** routes/ops/ops-metrics.camel.yaml: the Prometheus scrape carries the domain metrics after a sync. */
class OpsMetricsTest extends HubTestSupport {

    @Autowired
    private ProducerTemplate producer;

    @Test
    void prometheusShowsJobGaugesQueueAgeCountersParseWaitAndRouteMetricsAfterASync() throws Exception {
        long kb = knowledgeBase("Metrics");
        long indexed = documentWithFile(kb, "Indexed", "metrics/indexed.txt", "some content for the metrics");
        long missing = document(kb, "Missing", "metrics/missing.txt");
        awaitJob(indexed, "indexed");
        awaitJob(missing, "download_failed");
        // one job waits in the queue: RAGFlow jobs are not claimed while the target is paused
        gate.pause("paused by the test");
        long waiting = documentWithFile(kb, "Waiting", "metrics/waiting.txt", "waits");
        jdbc.update("UPDATE sync_job SET created_at = now() - INTERVAL '90 seconds' WHERE document_id = ?", waiting);

        producer.sendBody("direct:ops-refresh-metrics", null);
        String scrape = OpsHttp.anonymous(port).get("/actuator/prometheus").body();

        assertThat(value(scrape, "ragsync_jobs", "status=\"indexed\"")).isEqualTo(1);
        assertThat(value(scrape, "ragsync_jobs", "status=\"download_failed\"")).isEqualTo(1);
        assertThat(value(scrape, "ragsync_jobs", "status=\"queued\"")).isEqualTo(1);
        assertThat(value(scrape, "ragsync_jobs", "status=\"config_error\"")).isEqualTo(0);
        assertThat(value(scrape, "ragsync_queue_depth", "")).isEqualTo(1);
        assertThat(value(scrape, "ragsync_queue_due", "")).isEqualTo(1);
        assertThat(value(scrape, "ragsync_queue_oldest_age_seconds", "")).isBetween(90.0, 200.0);
        assertThat(value(scrape, "ragsync_sync_attempts_total", "op=\"upsert\"")).isGreaterThanOrEqualTo(2);
        assertThat(value(scrape, "ragsync_sync_outcomes_total", "outcome=\"indexed\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(scrape, "ragsync_sync_outcomes_total", "outcome=\"download_failed\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(scrape, "ragsync_ragflow_upload_bytes_total", "")).isGreaterThanOrEqualTo(28);
        assertThat(value(scrape, "ragsync_ragflow_parse_wait_seconds_count", "outcome=\"indexed\""))
                .isGreaterThanOrEqualTo(1);
        // per-route metrics of the camel-micrometer route policy
        assertThat(scrape).containsPattern("camel_exchanges_total\\{[^}]*routeId=\"sync-job\"");
        assertThat(scrape).containsPattern("camel_route_policy_seconds_count\\{[^}]*routeId=\"sync-job\"");

        // each parse wait is recorded once, however often the metrics are refreshed
        double parses = value(scrape, "ragsync_ragflow_parse_wait_seconds_count", "outcome=\"indexed\"");
        producer.sendBody("direct:ops-refresh-metrics", null);
        String again = OpsHttp.anonymous(port).get("/actuator/prometheus").body();
        assertThat(value(again, "ragsync_ragflow_parse_wait_seconds_count", "outcome=\"indexed\"")).isEqualTo(parses);
    }

    /** The value of the first sample of the metric whose labels contain the given text. */
    static double value(String scrape, String metric, String labelText) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$").matcher(scrape);
        while (m.find()) {
            if (m.group(1).contains(labelText)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError(metric + "{" + labelText + "} not in the scrape:\n" + scrape.lines()
                .filter(l -> l.startsWith("ragsync_") || l.startsWith("camel_exchanges")).toList());
    }
}
