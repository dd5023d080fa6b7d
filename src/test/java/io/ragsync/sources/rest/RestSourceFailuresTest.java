package io.ragsync.sources.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ragsync.ops.OpsCredentials;
import io.ragsync.ops.OpsHttp;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A failing REST source is visible to the operator: Prometheus counts its failed batches per source (with the
 * failures in a row and the time of the last one), and the dashboard's JSON (/ops/api/rest-sources) lists it first
 * with its error and next attempt; a good batch clears the count.
 */
class RestSourceFailuresTest extends RestSourceTestSupport {

    @Autowired
    OpsCredentials opsCredentials;

    /** A page is read whole into memory: one beyond app.rest.max-page-size (16 MB) fails its batch, with why. */
    @Test
    void aPageLargerThanTheLimitFailsItsBatchWithTheReason() throws Exception {
        StringBuilder page = new StringBuilder("{\"total\":1,\"skip\":0,\"products\":[{\"id\":1,\"title\":\"");
        page.append("x".repeat(17 * 1024 * 1024)).append("\"}]}");
        API.wireMock().stubFor(get(urlPathEqualTo("/products")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(page.toString())));
        long source = createSource("Acme Products", productsConfig());

        assertThat(batch(source)).containsEntry("ok", false);
        assertThat(jdbc.queryForObject("SELECT last_error FROM kb_rest_cursors WHERE source_id = ?", String.class, source))
                .contains("larger than 16 MB").contains("app.rest.max-page-size");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kb_rest_chunks", Integer.class)).isZero();
    }

    /** One order per page, with the next cursor it names. */
    private static String ordersPage(int order, String next) throws Exception {
        java.util.Map<String, Object> meta = new java.util.HashMap<>();
        meta.put("next_cursor", next);
        return JSON.writeValueAsString(Map.of("data", java.util.List.of(RestApiStub.order(order)), "meta", meta));
    }

    private static void ordersAt(String cursor, int order, String next) throws Exception {
        API.wireMock().stubFor(get(urlPathEqualTo("/orders")).atPriority(1)
                .withQueryParam("cursor", cursor == null ? absent() : equalTo(cursor))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(ordersPage(order, next))));
    }

    /** Cursors A → B → A: the batch whose next page the run already fetched fails, and stays failed. */
    @Test
    void aCursorThatComesBackToAPageOfTheRunFailsItsBatchWithTheCursorUnchanged() throws Exception {
        ordersAt(null, 1, "A");
        ordersAt("A", 2, "B");
        ordersAt("B", 3, "A");
        long source = createSource("Looping Orders", ordersConfig());
        assertThat(batch(source)).containsEntry("ok", true).containsEntry("next", "A");
        assertThat(batch(source)).containsEntry("ok", true).containsEntry("next", "B");

        for (int i = 0; i < 2; i++) {
            Map<String, Object> looped = batch(source);
            assertThat(looped).containsEntry("ok", false).containsEntry("status", "error").containsEntry("done", false)
                    .containsEntry("next", "B");
            assertThat((String) looped.get("error")).startsWith("cursor loop");
        }
        assertThat(cursor(source)).containsEntry("next_cursor", "B").containsEntry("done", false)
                .containsEntry("page_count", 2L).containsEntry("last_status", "error").containsEntry("consecutive_failures", 2);
        assertThat((String) cursor(source).get("last_error")).startsWith("cursor loop");
        assertThat(chunksPerItem(source)).containsOnlyKeys("ORD-5001", "ORD-5002");
        assertThat(API.requestCount("/orders")).isEqualTo(4);
    }

    /** Link style: a next link back to the run's first page is a loop too, not only a link to the same page. */
    @Test
    void aLinkBackToTheFirstPageFailsItsBatch() throws Exception {
        API.wireMock().stubFor(get(urlPathEqualTo("/events")).atPriority(1).withQueryParam("after", equalTo("3"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withHeader("Link", "</events>; rel=\"next\"")
                        .withBody(JSON.writeValueAsString(Map.of("events", java.util.List.of(RestApiStub.event(4)))))));
        long source = createSource("Looping Events", eventsConfig());
        assertThat(batch(source)).containsEntry("ok", true).containsEntry("next", API.baseUrl() + "/events?after=3");

        Map<String, Object> looped = batch(source);
        assertThat(looped).containsEntry("ok", false).containsEntry("next", API.baseUrl() + "/events?after=3");
        assertThat((String) looped.get("error")).startsWith("cursor loop");
        assertThat(cursor(source)).containsEntry("next_cursor", API.baseUrl() + "/events?after=3")
                .containsEntry("done", false).containsEntry("page_count", 1L).containsEntry("last_status", "error");
        assertThat(chunks(source)).isEqualTo(3);
    }

    /** An API that reports offset 0 whatever offset is asked would have the source fetch one page for ever. */
    @Test
    void anOffsetTheApiDoesNotAdvanceFailsTheBatchWithTheCursorUnchanged() throws Exception {
        API.wireMock().stubFor(get(urlPathEqualTo("/products")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"products\":[{\"id\":1,\"title\":\"p1\"},{\"id\":2,\"title\":\"p2\"}],"
                                + "\"total\":100,\"skip\":0}")));
        long source = createSource("Stuck Offset", productsConfig());
        assertThat(batch(source)).containsEntry("ok", true).containsEntry("done", false).containsEntry("next", "2");

        Map<String, Object> stuck = batch(source);
        assertThat(stuck).containsEntry("ok", false).containsEntry("status", "error").containsEntry("done", false)
                .containsEntry("next", "2").containsEntry("url", API.baseUrl() + "/products?skip=2&limit=5");
        assertThat((String) stuck.get("error")).contains("offset mismatch").contains("$.skip");
        assertThat(cursor(source)).containsEntry("next_cursor", "2").containsEntry("done", false)
                .containsEntry("page_count", 1L).containsEntry("last_status", "error")
                .containsEntry("last_error", stuck.get("error")).containsEntry("consecutive_failures", 1);
        assertThat(chunks(source)).isEqualTo(2);
        assertThat(API.requestCount("/products")).isEqualTo(2);
    }

    /** An answer's headers are read into memory too: more header lines than the client's bound fail the batch. */
    @Test
    void anAnswerWithTooManyHeaderLinesFailsItsBatch() throws Exception {
        com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer = aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"total\":1,\"skip\":0,\"products\":[{\"id\":1,\"title\":\"Kettle\"}]}");
        for (int i = 0; i < 2 * io.ragsync.platform.HttpHeaderLimits.MAX_HEADER_COUNT; i++) {
            answer.withHeader("X-Padding-" + i, "x");
        }
        API.wireMock().stubFor(get(urlPathEqualTo("/products")).atPriority(1).willReturn(answer));
        long source = createSource("Acme Products", productsConfig());

        assertThat(batch(source)).containsEntry("ok", false);
        assertThat(jdbc.queryForObject("SELECT last_error FROM kb_rest_cursors WHERE source_id = ?", String.class, source))
                .containsIgnoringCase("header count");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kb_rest_chunks", Integer.class)).isZero();
    }

    @Test
    void failedBatchesAreCountedPerSourceAndListedOnTheDashboard() throws Exception {
        long healthy = createSource("Articles", articlesConfig());
        batch(healthy);
        API.wireMock().stubFor(get(urlPathEqualTo("/products")).atPriority(1)
                .willReturn(aResponse().withStatus(502).withBody("bad gateway")));
        long failing = createSource("Acme Products", productsConfig());
        String source = "source=\"" + failing + "\"";
        // ids restart with each test's clean database while the meters live on with the context: count the increase
        double before = failures(OpsHttp.anonymous(port).get("/actuator/prometheus").body(), source);
        assertThat(batch(failing)).containsEntry("ok", false);
        assertThat(batch(failing)).containsEntry("ok", false);

        String scrape = OpsHttp.anonymous(port).get("/actuator/prometheus").body();
        assertThat(failures(scrape, source) - before).isEqualTo(2.0);
        assertThat(sample(scrape, "ragsync_rest_source_consecutive_failures", source)).isEqualTo(2.0);
        assertThat(sample(scrape, "ragsync_rest_source_last_failure_timestamp_seconds", source))
                .isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(120.0));

        OpsHttp operator = OpsHttp.as(port, opsCredentials.user(), opsCredentials.password());
        HttpResponse<String> response = operator.get("/ops/api/rest-sources");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode sources = JSON.readTree(response.body());
        assertThat(sources.get(0).get("id").asLong()).isEqualTo(failing);
        assertThat(sources.get(0).get("consecutiveFailures").asInt()).isEqualTo(2);
        assertThat(sources.get(0).get("lastStatus").asText()).isEqualTo("error");
        assertThat(sources.get(0).get("lastHttpStatus").asInt()).isEqualTo(502);
        assertThat(sources.get(0).get("lastError").asText()).contains("HTTP 502");
        assertThat(sources.get(0).get("lastFailedAt").isTextual()).isTrue();
        assertThat(sources.get(0).get("nextAttemptAfter").isTextual()).isTrue();
        assertThat(sources.get(1).get("id").asLong()).isEqualTo(healthy);
        assertThat(sources.get(1).get("consecutiveFailures").asInt()).isZero();
        assertThat(OpsHttp.anonymous(port).get("/ops/api/rest-sources").statusCode()).isNotEqualTo(200);

        API.reset();
        assertThat(batch(failing)).containsEntry("ok", true);
        assertThat(JSON.readTree(operator.get("/ops/api/rest-sources").body()).findValues("consecutiveFailures"))
                .allSatisfy(n -> assertThat(n.asInt()).isZero());
        String after = OpsHttp.anonymous(port).get("/actuator/prometheus").body();
        assertThat(sample(after, "ragsync_rest_source_consecutive_failures", source)).isZero();
        assertThat(failures(after, source) - before).isEqualTo(2.0);
    }

    private static double failures(String scrape, String source) {
        Double value = sample(scrape, "ragsync_rest_source_failures_total", source, "status=\"error\"");
        return value == null ? 0 : value;
    }

    /** The value of the Prometheus sample of that name whose labels contain all the given ones, or null. */
    private static Double sample(String scrape, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)} (\\S+)$").matcher(scrape);
        while (m.find()) {
            String found = m.group(1);
            if (java.util.Arrays.stream(labels).allMatch(found::contains)) {
                return Double.valueOf(m.group(2));
            }
        }
        return null;
    }
}
