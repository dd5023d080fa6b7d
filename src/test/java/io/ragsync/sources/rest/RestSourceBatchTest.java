package io.ragsync.sources.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * routes/sources/rest/rest-batch.camel.yaml: one page per batch in every cursor style, all-or-nothing storage, dedup by
 * content hash, freshness (ETag → 304), 429, timeout, malformed JSON, an items path matching nothing, and the daily
 * document reaching RAGFlow through the spine.
 */
class RestSourceBatchTest extends RestSourceTestSupport {

    private static final String[] TERMINAL = {"indexed", "deleted", "failed", "config_error", "download_failed", "superseded"};

    @Test
    void offsetPullReachesDoneWithEveryItemOnceAndTheDailyDocumentReachesRagflow() throws Exception {
        long source = createSource("Acme Products", productsConfig());

        List<Map<String, Object>> answers = pullUntilDone(source, 10);

        assertThat(answers).extracting(a -> a.get("items")).containsExactly(5, 5, 5, 5, 3);
        assertThat(answers).extracting(a -> a.get("next")).containsExactly("5", "10", "15", "20", null);
        assertThat(answers).extracting(a -> a.get("done")).containsExactly(false, false, false, false, true);
        assertThat(answers.get(0).get("url")).isEqualTo(API.baseUrl() + "/products?skip=0&limit=5");
        assertThat(answers.get(4).get("url")).isEqualTo(API.baseUrl() + "/products?skip=20&limit=5");
        assertThat(answers).allSatisfy(a -> assertThat(a.get("status")).isEqualTo("ok"));
        // the API key came from the server-side secret, and only in the configured header
        API.wireMock().verify(5, getRequestedFor(urlPathEqualTo("/products")).withHeader("X-Api-Key", equalTo(ACME_SECRET)));
        API.wireMock().verify(0, getRequestedFor(urlPathEqualTo("/products")).withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.matching(".*")));

        Map<String, Integer> perItem = chunksPerItem(source);
        assertThat(perItem).hasSize(23).allSatisfy((item, n) -> assertThat(n).isEqualTo(1));
        Map<String, Object> cursor = cursor(source);
        assertThat(cursor).containsEntry("done", true).containsEntry("page_count", 5L).containsEntry("item_count", 23L)
                .containsEntry("chunk_count", 23L).containsEntry("last_status", "ok").containsEntry("last_http_status", 200)
                .containsEntry("tenant_id", "tenant-a");
        assertThat(cursor.get("last_error")).isNull();
        assertThat((String) cursor.get("etag")).startsWith("\"products-v1"); // (Jetty may add --gzip, and strips it on the way back)

        // chunk rows: tenant, title, content, contentHash metadata, allowed roles, one daily document
        Map<String, Object> first = jdbc.queryForMap("SELECT tenant_id, title, content, metadata::text AS metadata,"
                + " allowed_roles::text AS roles, content_hash, chunk_index, document_id FROM kb_rest_chunks"
                + " WHERE source_id = ? AND metadata->>'itemId' = '1'", source);
        assertThat(first.get("tenant_id")).isEqualTo("tenant-a");
        assertThat(first.get("title")).isEqualTo("Essence Eyeshadow Palette No. 1");
        assertThat((String) first.get("content")).contains("title: Essence Eyeshadow Palette No. 1")
                .contains("tags: beauty, eyeshadow-palette").contains("meta.brand: Essence")
                .contains("reviews.comment: Great value, product 1 exceeded expectations, Decent, but the packaging of item 1 was damaged");
        assertThat((String) first.get("metadata")).contains("\"contentHash\": \"" + first.get("content_hash") + "\"");
        assertThat(first.get("roles")).isEqualTo("[\"member\"]");
        assertThat(first.get("chunk_index")).isEqualTo(0);
        assertThat(jdbc.queryForList("SELECT chunk_index FROM kb_rest_chunks WHERE source_id = ? ORDER BY 1", Integer.class, source))
                .containsExactlyElementsOf(IntStream.range(0, 23).boxed().toList());

        String today = jdbc.queryForObject("SELECT to_char(CURRENT_DATE, 'YYYY-MM-DD')", String.class);
        Map<String, Object> doc = jdbc.queryForMap("SELECT d.* FROM document d JOIN kb_rest_documents r ON r.document_id = d.id"
                + " WHERE r.source_id = ?", source);
        long documentId = ((Number) doc.get("id")).longValue();
        assertThat(doc.get("title")).isEqualTo("Acme Products — Sync " + today);
        assertThat(doc.get("file_path")).isEqualTo("rest/" + source + "/acme-products-sync-" + today + ".md");
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT document_id) FROM kb_rest_chunks WHERE source_id = ?", Integer.class, source))
                .isEqualTo(1);
        String file = Files.readString(STORAGE.resolve((String) doc.get("file_path")));
        assertThat(file).startsWith("# Acme Products — Sync " + today);
        API.products().forEach(p -> assertThat(file).containsOnlyOnce("## " + p.get("title") + "\n"));
        Long kb = jdbc.queryForObject("SELECT knowledge_base_id FROM kb_sources WHERE id = ?", Long.class, source);
        assertThat(jdbc.queryForObject("SELECT name FROM knowledge_base WHERE id = ?", String.class, kb)).isEqualTo("Acme Products");

        // through the spine: the daily document is in RAGFlow with every item's text
        assertThat(awaitJob(documentId, TERMINAL).get("status")).isEqualTo("indexed");
        assertThat(jobSourcesAndLog(documentId)).hasSizeGreaterThan(1)
                .allSatisfy(text -> assertThat(text).contains("rest").doesNotContain("backend"));
        String ragflowId = (String) documentSync(documentId).get("ragflow_document_id");
        String content = RAGFLOW.content(ragflowId);
        API.products().forEach(p -> assertThat(content).contains((String) p.get("description")));
        assertThat(RAGFLOW.documents(datasetOf(kb))).hasSize(1);
    }

    @Test
    void cursorPageAndLinkStylesPullEveryItemOnce() throws Exception {
        long orders = createSource("Orders", ordersConfig());
        List<Map<String, Object>> orderAnswers = pullUntilDone(orders, 10);
        assertThat(orderAnswers).extracting(a -> a.get("items")).containsExactly(5, 5, 2);
        assertThat((String) orderAnswers.get(1).get("url")).contains("cursor=");
        assertThat(chunksPerItem(orders)).hasSize(12).allSatisfy((item, n) -> assertThat(n).isEqualTo(1));
        assertThat(jdbc.queryForObject("SELECT DISTINCT allowed_roles::text FROM kb_rest_chunks WHERE source_id = ?", String.class, orders))
                .isEqualTo("[\"sales\", \"support\"]");

        long articles = createSource("Articles", articlesConfig());
        List<Map<String, Object>> articleAnswers = pullUntilDone(articles, 10);
        assertThat(articleAnswers).extracting(a -> a.get("items")).containsExactly(4, 4, 2);
        assertThat(articleAnswers).extracting(a -> a.get("next")).containsExactly("2", "3", null);
        assertThat(chunksPerItem(articles)).hasSize(10).allSatisfy((item, n) -> assertThat(n).isEqualTo(1));
        assertThat(jdbc.queryForObject("SELECT content FROM kb_rest_chunks WHERE source_id = ? AND metadata->>'itemId' = 'article-3'",
                String.class, articles)).isEqualTo("headline: Release notes part 3\nbody: Paragraph one of article 3., Paragraph two of article 3 explains the upgrade.");

        long events = createSource("Billing events", eventsConfig());
        List<Map<String, Object>> eventAnswers = pullUntilDone(events, 10);
        assertThat(eventAnswers).extracting(a -> a.get("items")).containsExactly(3, 3, 1);
        assertThat(eventAnswers.get(0).get("next")).isEqualTo(API.baseUrl() + "/events?after=3");
        assertThat(eventAnswers.get(1).get("url")).isEqualTo(API.baseUrl() + "/events?after=3");
        assertThat(chunksPerItem(events)).hasSize(7).allSatisfy((item, n) -> assertThat(n).isEqualTo(1));

        assertThat(jdbc.queryForObject("SELECT count(*) FROM kb_rest_cursors WHERE done AND last_status = 'ok'", Integer.class)).isEqualTo(3);
    }

    /** The total only ends a run on a short page: a full one goes on, and an empty or past-the-end answer ends it. */
    @Test
    void aFullPageGoesOnPastTheTotalUntilAShortEmptyOrPastTheEndPage() throws Exception {
        // the first page is full and says total 5 while the API holds 23
        API.wireMock().stubFor(get(urlPathEqualTo("/products")).withQueryParam("skip", equalTo("0")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(JSON.writeValueAsString(Map.of("products", API.products().subList(0, 5), "total", 5, "skip", 0)))));
        long lowTotal = createSource("Low Total", productsConfig());
        List<Map<String, Object>> answers = pullUntilDone(lowTotal, 10);
        assertThat(answers).extracting(a -> a.get("items")).containsExactly(5, 5, 5, 5, 3);
        assertThat(chunksPerItem(lowTotal)).hasSize(23);
        assertThat(cursor(lowTotal)).containsEntry("done", true).containsEntry("item_count", 23L).containsEntry("page_count", 5L);
        assertThat(API.requestCount("/products")).isEqualTo(5);

        // an exact total on a full last page: one more page is asked, and the API's 404 past its end ends the run
        API.reset();
        API.addProducts(2);
        API.wireMock().stubFor(get(urlPathEqualTo("/products")).withQueryParam("skip", equalTo("25")).atPriority(1)
                .willReturn(aResponse().withStatus(404).withBody("{\"message\":\"offset out of range\"}")));
        long exact = createSource("Exact Total", productsConfig());
        List<Map<String, Object>> exactAnswers = pullUntilDone(exact, 10);
        assertThat(exactAnswers).extracting(a -> a.get("items")).containsExactly(5, 5, 5, 5, 5, 0);
        assertThat(exactAnswers.get(5)).containsEntry("ok", true).containsEntry("done", true).containsEntry("httpStatus", 404);
        assertThat(chunksPerItem(exact)).hasSize(25);
        assertThat(cursor(exact)).containsEntry("done", true).containsEntry("last_status", "ok")
                .containsEntry("item_count", 25L).containsEntry("past_reported_end", false);
        assertThat(cursor(exact).get("next_cursor")).isNull();

        // a 404 where the API had not said it ended is a failure, the cursor stays
        API.reset();
        API.wireMock().stubFor(get(urlPathEqualTo("/products")).withQueryParam("skip", equalTo("5")).atPriority(1)
                .willReturn(aResponse().withStatus(404).withBody("{\"message\":\"gone\"}")));
        long missing = createSource("Missing Page", productsConfig());
        batch(missing);
        assertThat(batch(missing)).containsEntry("ok", false).containsEntry("httpStatus", 404).containsEntry("next", "5");
        assertThat(cursor(missing)).containsEntry("done", false).containsEntry("next_cursor", "5").containsEntry("last_status", "error");
    }

    @Test
    void failuresMidwayLeaveTheCursorAndResumeWithoutLossOrDuplicates() throws Exception {
        long source = createSource("Acme Products", productsConfig());
        assertThat(batch(source).get("next")).isEqualTo("5");

        // the API fails on page 2: recorded, cursor unchanged
        API.wireMock().stubFor(get(urlPathEqualTo("/products")).withQueryParam("skip", equalTo("5")).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("upstream maintenance")));
        Map<String, Object> failed = batch(source);
        assertThat(failed).containsEntry("ok", false).containsEntry("status", "error").containsEntry("httpStatus", 503)
                .containsEntry("done", false).containsEntry("next", "5");
        assertThat((String) failed.get("error")).contains("HTTP 503").contains("upstream maintenance");
        assertThat(cursor(source)).containsEntry("next_cursor", "5").containsEntry("page_count", 1L)
                .containsEntry("last_status", "error").containsEntry("last_http_status", 503);
        API.reset();

        // the store fails after the chunks were inserted (the daily document cannot be written): all rolled back
        Path day = STORAGE.resolve("rest/" + source);
        String docPath = jdbc.queryForObject("SELECT file_path FROM document", String.class);
        Files.delete(STORAGE.resolve(docPath));
        Files.createDirectories(STORAGE.resolve(docPath));   // a directory where the file must go
        Files.writeString(STORAGE.resolve(docPath).resolve("blocker"), "x");
        Map<String, Object> rolledBack = batch(source);
        assertThat(rolledBack).containsEntry("ok", false).containsEntry("next", "5");
        assertThat((String) rolledBack.get("error")).contains("daily document");
        assertThat(chunks(source)).isEqualTo(5);
        assertThat(cursor(source)).containsEntry("next_cursor", "5").containsEntry("item_count", 5L);
        Files.delete(STORAGE.resolve(docPath).resolve("blocker"));
        Files.delete(STORAGE.resolve(docPath));
        assertThat(day).isDirectory();

        // resumed: the same page again, then on to done
        List<Map<String, Object>> rest = pullUntilDone(source, 10);
        assertThat(rest.get(0).get("url")).isEqualTo(API.baseUrl() + "/products?skip=5&limit=5");
        assertThat(chunksPerItem(source)).hasSize(23).allSatisfy((item, n) -> assertThat(n).isEqualTo(1));
        assertThat(cursor(source)).containsEntry("item_count", 23L).containsEntry("page_count", 5L)
                .containsEntry("last_status", "ok");
        assertThat(cursor(source).get("last_error")).isNull();
        String file = Files.readString(STORAGE.resolve(docPath));
        API.products().forEach(p -> assertThat(file).containsOnlyOnce("## " + p.get("title") + "\n"));
    }

    @Test
    void aBatchOvertakenByAnotherOneOfTheSameSourceRollsBack() throws Exception {
        long source = createSource("Acme Products", productsConfig());
        API.wireMock().stubFor(get(urlPathEqualTo("/products")).atPriority(1).inScenario("slow first page")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED).willSetStateTo("served")
                .willReturn(aResponse().withStatus(200).withFixedDelay(1500).withHeader("Content-Type", "application/json")
                        .withBody(JSON.writeValueAsString(Map.of("products", API.products().subList(0, 5), "total", 23, "skip", 0)))));
        java.util.concurrent.CompletableFuture<Map<String, Object>> slow = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return batch(source);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        eventually(() -> API.requestCount("/products") == 1);
        Map<String, Object> fast = batch(source);
        assertThat(fast).containsEntry("ok", true).containsEntry("next", "5");

        Map<String, Object> overtaken = slow.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(overtaken).containsEntry("ok", false).containsEntry("next", null);
        assertThat((String) overtaken.get("error")).contains("advanced the cursor meanwhile");
        assertThat(cursor(source)).containsEntry("next_cursor", "5").containsEntry("page_count", 1L).containsEntry("item_count", 5L);
        assertThat(chunks(source)).isEqualTo(5);
        pullUntilDone(source, 10);
        assertThat(chunksPerItem(source)).hasSize(23).allSatisfy((item, n) -> assertThat(n).isEqualTo(1));
    }

    @Test
    void knownContentIsSkippedAcrossBatchesAndRunsAndNotModifiedMeansNothingNew() throws Exception {
        Map<String, Object> config = productsConfig();
        config.put("ifNoneMatchHeader", false);
        long source = createSource("Acme Products", config);
        pullUntilDone(source, 10);
        long jobsBefore = jdbc.queryForObject("SELECT count(*) FROM sync_job", Long.class);

        // a new run over the same data: every chunk is known, nothing stored, no document enqueued
        List<Map<String, Object>> again = pullUntilDone(source, 10);
        assertThat(again).hasSize(5).allSatisfy(a -> assertThat(a.get("newChunks")).isEqualTo(0));
        assertThat(chunks(source)).isEqualTo(23);
        assertThat(cursor(source)).containsEntry("item_count", 46L).containsEntry("chunk_count", 23L);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job", Long.class)).isEqualTo(jobsBefore);

        // two new products: only they are stored
        API.addProducts(2);
        List<Map<String, Object>> third = pullUntilDone(source, 10);
        assertThat(third.stream().mapToInt(a -> (Integer) a.get("newChunks")).sum()).isEqualTo(2);
        assertThat(chunksPerItem(source)).hasSize(25).allSatisfy((item, n) -> assertThat(n).isEqualTo(1));

        // with freshness on: the stored ETag goes out as If-None-Match, 304 = nothing new, done
        config.put("ifNoneMatchHeader", true);
        assertThat(admin("PUT", "/api/backoffice/rest-sources/" + source,
                Map.of("tenantId", "tenant-a", "title", "Acme Products", "config", config)).statusCode()).isEqualTo(200);
        Map<String, Object> notModified = batch(source);
        assertThat(notModified).containsEntry("ok", true).containsEntry("status", "not_modified").containsEntry("done", true)
                .containsEntry("httpStatus", 304).containsEntry("items", 0);
        API.wireMock().verify(getRequestedFor(urlPathEqualTo("/products")).withHeader("If-None-Match", equalTo("\"products-v25\"")));
        assertThat(cursor(source)).containsEntry("last_status", "not_modified").containsEntry("last_http_status", 304);
        assertThat(chunks(source)).isEqualTo(25);

        // the same with Last-Modified → If-Modified-Since
        config.put("ifNoneMatchHeader", false);
        config.put("ifModifiedSinceHeader", true);
        assertThat(admin("PUT", "/api/backoffice/rest-sources/" + source,
                Map.of("tenantId", "tenant-a", "title", "Acme Products", "config", config)).statusCode()).isEqualTo(200);
        API.wireMock().resetRequests();
        assertThat(batch(source)).containsEntry("status", "not_modified").containsEntry("done", true);
        API.wireMock().verify(1, getRequestedFor(urlPathEqualTo("/products"))
                .withHeader("If-Modified-Since", equalTo(RestApiStub.LAST_MODIFIED))
                .withoutHeader("If-None-Match"));
        assertThat(chunks(source)).isEqualTo(25);
    }

    @Test
    void rateLimitTimeoutMalformedJsonAndEmptyItemsPathAreRecordedWithTheCursorUnchanged() throws Exception {
        long source = createSource("Acme Products", productsConfig());
        batch(source);

        API.wireMock().stubFor(get(urlPathEqualTo("/products")).atPriority(1)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120").withBody("{\"message\":\"slow down\"}")));
        Map<String, Object> limited = batch(source);
        assertThat(limited).containsEntry("ok", false).containsEntry("status", "rate_limited").containsEntry("httpStatus", 429)
                .containsEntry("retryAfterSeconds", 120);
        assertThat(jdbc.queryForObject("SELECT retry_after_until BETWEEN now() + interval '110 seconds' AND now() + interval '130 seconds'"
                + " FROM kb_rest_cursors WHERE source_id = ?", Boolean.class, source)).isTrue();

        API.reset();
        API.wireMock().stubFor(get(urlPathEqualTo("/products")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"products\": [{\"id\": 6,")));
        Map<String, Object> malformed = batch(source);
        assertThat(malformed).containsEntry("ok", false).containsEntry("status", "error").containsEntry("httpStatus", 200);
        assertThat((String) malformed.get("error")).startsWith("malformed JSON from " + API.baseUrl() + "/products?skip=5&limit=5");

        API.reset();
        API.wireMock().stubFor(get(urlPathEqualTo("/products")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withFixedDelay(5500).withHeader("Content-Type", "application/json").withBody("{}")));
        Map<String, Object> slow = batch(source);
        assertThat(slow).containsEntry("ok", false).containsEntry("status", "error");
        assertThat((String) slow.get("error")).contains("within 4000 ms (timeout)");

        API.reset();
        Map<String, Object> config = productsConfig();
        config.put("itemsPath", "$.items");
        assertThat(admin("PUT", "/api/backoffice/rest-sources/" + source,
                Map.of("tenantId", "tenant-a", "title", "Acme Products", "config", config)).statusCode()).isEqualTo(200);
        Map<String, Object> nothing = batch(source);
        assertThat(nothing).containsEntry("ok", false).containsEntry("status", "error");
        assertThat((String) nothing.get("error")).isEqualTo("itemsPath $.items matched nothing in the response of "
                + API.baseUrl() + "/products?skip=5&limit=5: check the source's config");
        assertThat(cursor(source)).containsEntry("next_cursor", "5").containsEntry("page_count", 1L).containsEntry("item_count", 5L)
                .containsEntry("last_error", nothing.get("error"));
        assertThat(chunks(source)).isEqualTo(5);

        // fixed config: resumes where it stopped
        assertThat(admin("PUT", "/api/backoffice/rest-sources/" + source,
                Map.of("tenantId", "tenant-a", "title", "Acme Products", "config", productsConfig())).statusCode()).isEqualTo(200);
        pullUntilDone(source, 10);
        assertThat(chunksPerItem(source)).hasSize(23).allSatisfy((item, n) -> assertThat(n).isEqualTo(1));
        assertThat(LocalDate.now()).isNotNull();
    }

    /** Where each job of the document came from, and what its job log says about it. */
    private List<String> jobSourcesAndLog(long documentId) {
        return jdbc.queryForList("SELECT j.source FROM sync_job j WHERE j.document_id = ? UNION ALL"
                + " SELECT l.message FROM sync_job_log l JOIN sync_job j ON j.id = l.job_id"
                + " WHERE j.document_id = ? AND l.event IN ('enqueued', 'coalesced')", String.class, documentId, documentId);
    }
}
