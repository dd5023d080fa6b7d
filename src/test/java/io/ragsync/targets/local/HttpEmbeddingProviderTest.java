package io.ragsync.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.EmbeddingApiStub;
import io.ragsync.support.HubTestSupport;
import io.ragsync.support.IndexFixtures;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The OpenAI-compatible HTTP embedding provider (routes/targets/local/local-embeddings.camel.yaml) against a WireMock
 * stand-in: batching, key, index order, Retry-After, and an outage that fails the job with the old chunks intact.
 * Own Spring context (provider=http, 8 dimensions, batch size 2) on its own database.
 */
class HttpEmbeddingProviderTest extends HubTestSupport {

    static final EmbeddingApiStub EMBEDDINGS = new EmbeddingApiStub();

    @DynamicPropertySource
    static void httpProvider(DynamicPropertyRegistry registry) {
        // its own database, or the suite's other hub context (alive in the same JVM) would run these jobs too.
        // HubTestSupport's spring.datasource.url is registered after this method and wins, so the pool's own
        // jdbc-url (bound onto the Hikari pool after the url) points it elsewhere.
        String url = io.ragsync.support.TestPostgres.jdbcUrl("ragsync_http_embeddings");
        registry.add("spring.datasource.hikari.jdbc-url", () -> url);
        // its own Camel name, hence its own Quartz scheduler (camel-quartz names it after the context): with the
        // same name both contexts would share one scheduler and the other context's maintenance would run here
        registry.add("camel.main.name", () -> "ragsync-http-embeddings");
        // this context stays alive in the JVM and shares the suite's storage root: it must not watch the drop
        // folder, or files dropped by the file-drop tests would be registered in its database too
        registry.add("app.drop.enabled", () -> "false");
        registry.add("app.index.embedding.provider", () -> "http");
        registry.add("app.index.embedding.http.url", EMBEDDINGS::baseUrl);
        registry.add("app.index.embedding.http.model", () -> EmbeddingApiStub.MODEL);
        registry.add("app.index.embedding.http.api-key", () -> EmbeddingApiStub.KEY);
        registry.add("app.index.embedding.dimension", () -> String.valueOf(EmbeddingApiStub.DIMENSION));
        registry.add("app.index.embedding.batch-size", () -> "2");
        registry.add("app.index.embedding.http.max-retries", () -> "2");
        registry.add("app.index.embedding.http.retry-delay-ms", () -> "10");
        registry.add("app.index.embedding.http.max-retry-after-ms", () -> "5000");
    }

    @BeforeEach
    void resetProvider() {
        EMBEDDINGS.reset();
    }

    private List<String> contents(long doc) {
        return jdbc.queryForList("SELECT content FROM index_chunk WHERE source_id = ? ORDER BY chunk_index",
                String.class, String.valueOf(doc));
    }

    @Test
    void chunksAreEmbeddedInBatchesWithTheKeyAndStoredInInputOrder() {
        long kb = localKnowledgeBase("http");
        long doc = documentWithFile(kb, "Doc", "h/doc.txt", String.join("\n\n", IndexFixtures.paragraphs(3, 700)));
        Map<String, Object> job = awaitJob(doc, "indexed", "failed");
        assertThat(job.get("status")).as("%s", job).isEqualTo("indexed");
        assertThat((String) job.get("rag_message")).contains("computed 3").contains("http:" + EmbeddingApiStub.MODEL);
        List<List<String>> requests = EMBEDDINGS.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0)).hasSize(2);
        assertThat(requests.get(1)).hasSize(1);
        // each chunk has the vector of its own text
        List<String> texts = contents(doc);
        for (int i = 0; i < texts.size(); i++) {
            String stored = jdbc.queryForObject("SELECT CAST(embedding AS TEXT) FROM index_chunk WHERE source_id = ?"
                    + " AND chunk_index = ?", String.class, String.valueOf(doc), i);
            float[] expected = io.ragsync.targets.local.EmbeddingPlan.normalize(EmbeddingApiStub.vector(texts.get(i)));
            assertThat(stored).startsWith("{" + expected[0] + ",");
        }
    }

    @Test
    void rateLimitIsRetriedAfterTheServersDelay() {
        EMBEDDINGS.failNext(1, 429, "1");
        long kb = localKnowledgeBase("limited");
        long start = System.nanoTime();
        long doc = documentWithFile(kb, "Doc", "h/limited.txt", "One short chunk about rate limits.");
        Map<String, Object> job = awaitJob(doc, "indexed", "failed");
        assertThat(job.get("status")).isEqualTo("indexed");
        assertThat(job.get("retry_count")).isEqualTo(0);
        assertThat(EMBEDDINGS.requests()).hasSize(2);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void transientFailuresAreRedeliveredInPlaceWithinTheJobsAttempt() {
        EMBEDDINGS.failNext(2, 503, null);
        long kb = localKnowledgeBase("busy");
        long doc = documentWithFile(kb, "Doc", "h/busy.txt", "One short chunk about a busy provider.");
        Map<String, Object> job = awaitJob(doc, "indexed", "failed");
        assertThat(job.get("status")).isEqualTo("indexed");
        assertThat(job.get("retry_count")).isEqualTo(0);
        assertThat(EMBEDDINGS.requests()).hasSize(3);
    }

    @Test
    void anInvalidRequestIsNotRetried() {
        EMBEDDINGS.failAlways(400);
        long kb = localKnowledgeBase("invalid");
        long doc = documentWithFile(kb, "Doc", "h/invalid.txt", "Short text.");
        Map<String, Object> job = awaitJob(doc, "failed", "indexed");
        assertThat(job.get("status")).isEqualTo("failed");
        assertThat((String) job.get("last_error")).contains("HTTP 400");
        assertThat(EMBEDDINGS.requests()).hasSize(1);
    }

    @Test
    void providerOutageFailsTheJobAndKeepsTheOldChunks() throws Exception {
        long kb = localKnowledgeBase("outage");
        long doc = documentWithFile(kb, "Doc", "h/outage.txt", String.join("\n\n", IndexFixtures.paragraphs(3, 700)));
        assertThat(awaitJob(doc, "indexed", "failed").get("status")).isEqualTo("indexed");
        List<String> before = contents(doc);
        String embeddingsBefore = jdbc.queryForObject("SELECT string_agg(CAST(embedding AS TEXT), ';' ORDER BY chunk_index)"
                + " FROM index_chunk WHERE source_id = ?", String.class, String.valueOf(doc));

        int requestsBefore = EMBEDDINGS.requests().size();
        EMBEDDINGS.dropConnections();
        writeFile("h/outage.txt", String.join("\n\n", IndexFixtures.paragraphs(5, 700)));
        jdbc.queryForObject("SELECT ragsync_enqueue(?, ?, 'upsert', 'test')", Long.class, doc, kb);
        Map<String, Object> job = awaitJob(doc, "failed");
        assertThat((String) job.get("last_error")).contains("embedding provider unreachable").contains("after 2 retries");
        assertThat((Integer) job.get("retry_count")).as("persisted retries of the job").isGreaterThanOrEqualTo(3);
        // each attempt of the job sends the batch once plus the 2 redeliveries, never retried again on top
        assertThat(EMBEDDINGS.requests()).hasSize(requestsBefore + 3 * (Integer) job.get("retry_count"));
        assertThat(documentSync(doc).get("status")).isEqualTo("failed");
        assertThat((String) documentSync(doc).get("last_error")).contains("embedding provider unreachable");
        assertThat(contents(doc)).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT string_agg(CAST(embedding AS TEXT), ';' ORDER BY chunk_index)"
                + " FROM index_chunk WHERE source_id = ?", String.class, String.valueOf(doc))).isEqualTo(embeddingsBefore);
        assertThat(jdbc.queryForObject("SELECT chunk_count FROM index_source WHERE source_id = ?", Integer.class,
                String.valueOf(doc))).isEqualTo(before.size());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_dead_letter WHERE document_id = ?", Integer.class, doc))
                .isEqualTo(1);

        HttpResponse<String> retrieval = httpPost("/api/retrieval", "{\"question\":\"invoices\",\"knowledge_base_ids\":[" + kb + "]}");
        assertThat(retrieval.statusCode()).isEqualTo(503);
        assertThat(retrieval.body()).contains("\"error\":\"unavailable\"").doesNotContain(EmbeddingApiStub.KEY);

        // the provider is back: requeue, and the document is indexed with its new content
        EMBEDDINGS.reset();
        assertThat(httpPost("/api/jobs/requeue", "{\"documentId\":" + doc + "}").statusCode()).isEqualTo(200);
        assertThat(awaitJob(doc, "indexed", "failed").get("status")).isEqualTo("indexed");
        assertThat(contents(doc).size()).isGreaterThan(before.size());
    }

    @Test
    void aRejectedKeyFailsAtOnceWithAClearReason() {
        EMBEDDINGS.failAlways(401);
        long kb = localKnowledgeBase("badkey");
        long doc = documentWithFile(kb, "Doc", "h/key.txt", "Short text.");
        Map<String, Object> job = awaitJob(doc, "failed", "indexed");
        assertThat(job.get("status")).isEqualTo("failed");
        assertThat((String) job.get("last_error")).contains("HTTP 401").contains("api-key").doesNotContain(EmbeddingApiStub.KEY);
        assertThat(EMBEDDINGS.requests()).hasSize(1);
    }
}
