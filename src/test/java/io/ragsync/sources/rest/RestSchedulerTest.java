package io.ragsync.sources.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * routes/sources/rest/rest-scheduler.camel.yaml: each tick runs one batch of every due source until done, skips
 * manual, backoffice-only and disabled sources, and respects a 429's Retry-After. The test drives the ticks
 * itself (direct:rest-scheduled-batches); the Quartz trigger calls the same route.
 */
class RestSchedulerTest extends RestSourceTestSupport {

    private static final String DAILY_AT_3 = "0 0 3 * * ?";

    @Autowired
    ProducerTemplate producer;

    private void tick() {
        producer.sendBody("direct:rest-scheduled-batches", null);
    }

    @Test
    void scheduledSourcesRunOneBatchPerTickUntilDoneAndOthersAreLeftAlone() throws Exception {
        long scheduled = createSource("Acme Products", productsConfig(), DAILY_AT_3);
        long manual = createSource("Orders", ordersConfig());
        // created with their flags already set: a Quartz tick between a create and an update could otherwise run
        // them once; the updates below still go through the update path
        long backofficeOnly = createSource("Articles", articlesConfig(), DAILY_AT_3, Map.of("backofficeOnly", true));
        assertThat(admin("PUT", "/api/backoffice/rest-sources/" + backofficeOnly, Map.of("tenantId", "tenant-a",
                "title", "Articles", "config", articlesConfig(), "schedule", DAILY_AT_3, "backofficeOnly", true)).statusCode()).isEqualTo(200);
        long disabled = createSource("Events", eventsConfig(), DAILY_AT_3, Map.of("enabled", false));
        assertThat(admin("PUT", "/api/backoffice/rest-sources/" + disabled, Map.of("tenantId", "tenant-a",
                "title", "Events", "config", eventsConfig(), "schedule", DAILY_AT_3, "enabled", false)).statusCode()).isEqualTo(200);

        tick();
        assertThat((Long) cursor(scheduled).get("page_count")).isBetween(1L, 2L); // (a Quartz tick may have run one too)
        for (int i = 0; i < 10 && !Boolean.TRUE.equals(cursor(scheduled).get("done")); i++) {
            tick();
        }
        assertThat(cursor(scheduled)).containsEntry("done", true).containsEntry("page_count", 5L).containsEntry("item_count", 23L);
        assertThat(chunksPerItem(scheduled)).hasSize(23).allSatisfy((item, n) -> assertThat(n).isEqualTo(1));

        // done, and the daily schedule has not fired since the run started: no more fetches
        long requests = API.requestCount("/products");
        tick();
        tick();
        assertThat(API.requestCount("/products")).isEqualTo(requests);
        assertThat(API.requestCount("/orders") + API.requestCount("/articles") + API.requestCount("/events")).isZero();
        for (long other : new long[] {manual, backofficeOnly, disabled}) {
            assertThat(cursor(other)).containsEntry("page_count", 0L);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kb_rest_cursors WHERE scheduler_lease_until IS NOT NULL", Integer.class)).isZero();
    }

    /** A cursor that cycles A → B → A: the scheduled source fails with the reason and backs off, not mid-run for ever. */
    @Test
    void aLoopingScheduledSourceFailsAndBacksOffInsteadOfRunningForEver() throws Exception {
        String[][] pages = {{null, "1", "A"}, {"A", "2", "B"}, {"B", "3", "A"}};
        for (String[] p : pages) {
            API.wireMock().stubFor(get(urlPathEqualTo("/orders")).atPriority(1)
                    .withQueryParam("cursor", p[0] == null ? absent() : equalTo(p[0]))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody(JSON.writeValueAsString(Map.of("data", List.of(RestApiStub.order(Integer.parseInt(p[1]))),
                                    "meta", Map.of("next_cursor", p[2]))))));
        }
        long source = createSource("Looping Orders", ordersConfig(), DAILY_AT_3);
        for (int i = 0; i < 6 && !"error".equals(cursor(source).get("last_status")); i++) {
            tick();
        }
        assertThat(cursor(source)).containsEntry("last_status", "error").containsEntry("done", false)
                .containsEntry("next_cursor", "B").containsEntry("page_count", 2L);
        assertThat((String) cursor(source).get("last_error")).startsWith("cursor loop");
        assertThat(jdbc.queryForObject("SELECT retry_after_until > now() FROM kb_rest_cursors WHERE source_id = ?",
                Boolean.class, source)).isTrue();

        // backing off: the next ticks fetch nothing
        long requests = API.requestCount("/orders");
        tick();
        tick();
        assertThat(API.requestCount("/orders")).isEqualTo(requests);
        assertThat(chunks(source)).isEqualTo(2);
    }

    @Test
    void aRateLimitedSourceWaitsForRetryAfter() throws Exception {
        // the API limits before the source exists, so a Quartz tick in between cannot fetch a page first
        API.wireMock().stubFor(get(urlPathEqualTo("/products")).atPriority(1)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "300")));
        long source = createSource("Acme Products", productsConfig(), DAILY_AT_3);
        tick();
        eventually(() -> "rate_limited".equals(cursor(source).get("last_status")));
        assertThat(cursor(source)).containsEntry("last_http_status", 429).containsEntry("page_count", 0L);
        assertThat(cursor(source).get("next_cursor")).isNull();
        long requests = API.requestCount("/products");
        assertThat(requests).isEqualTo(1);

        API.reset();
        tick();
        tick();
        assertThat(API.requestCount("/products")).isZero();

        // once the wait is over (here: moved into the past), the next tick fetches the same page
        jdbc.update("UPDATE kb_rest_cursors SET retry_after_until = now() - interval '1 second' WHERE source_id = ?", source);
        tick();
        assertThat(API.requestCount("/products")).isPositive();
        assertThat(cursor(source)).containsEntry("last_status", "ok");
        assertThat(cursor(source).get("next_cursor")).isIn("5", "10");
    }

    /**
     * The process that claimed a source for a batch died: its claim, as the claim statement wrote it, runs out and
     * the scheduler fetches the source again within a minute.
     */
    @Test
    void aSourceClaimedByADeadProcessRunsAgainWithinAMinute() throws Exception {
        long source = createSource("Acme Products", productsConfig(), DAILY_AT_3);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            org.apache.camel.Exchange claim = producer.send("sql:classpath:sql/sources/rest/claim-rest-source.sql", e -> {
                e.setProperty("sourceId", source);
                e.setProperty("claim", new RestSchedule.Claim("crashed-instance", "crashed-process"));
            });
            return Integer.valueOf(1).equals(claim.getMessage().getHeader("CamelSqlUpdateCount"));
        });
        long pages = (Long) cursor(source).get("page_count");
        long started = System.nanoTime();

        eventually(() -> {
            tick();
            return (Long) cursor(source).get("page_count") > pages;
        });
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(60));
    }

    @Test
    void aFailingHourlySourceBacksOffTowardItsScheduleNotEveryMinute() throws Exception {
        API.wireMock().stubFor(get(urlPathEqualTo("/products")).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("maintenance")));
        long source = createSource("Acme Products", productsConfig(), "0 0 * * * ?");
        int failures = 0;
        while (failures < 8) {
            // the wait is over (moved into the past): the next tick tries again, and fails
            jdbc.update("UPDATE kb_rest_cursors SET retry_after_until = now() - interval '1 second' WHERE source_id = ?", source);
            int before = failures;
            tick();
            eventually(() -> ((Number) cursor(source).get("consecutive_failures")).intValue() > before);
            Map<String, Object> c = jdbc.queryForMap("SELECT consecutive_failures,"
                    + " round(EXTRACT(EPOCH FROM retry_after_until - last_failed_at)) AS wait FROM kb_rest_cursors"
                    + " WHERE source_id = ?", source);
            failures = ((Number) c.get("consecutive_failures")).intValue();
            long expected = Math.min(3600, 60L << (failures - 1));
            assertThat(((Number) c.get("wait")).longValue()).as("wait after %s failures in a row", failures).isEqualTo(expected);
        }
        assertThat(cursor(source)).containsEntry("last_status", "error").containsEntry("last_http_status", 503);

        // a good batch resets the count: the next failure waits the base again
        API.reset();
        jdbc.update("UPDATE kb_rest_cursors SET retry_after_until = NULL WHERE source_id = ?", source);
        tick();
        eventually(() -> ((Number) cursor(source).get("consecutive_failures")).intValue() == 0);
        assertThat(cursor(source)).containsEntry("last_status", "ok");
    }

}
