package io.ragsync.support;

import static org.awaitility.Awaitility.await;

import io.ragsync.ragflow.RagflowGate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole hub against a real PostgreSQL and the RAGFlow stub, with fast timings. All test classes that
 * extend this share one Spring context (same configuration), so the suite pays the start-up once.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// metrics export (the Prometheus endpoint) is off in Spring Boot tests unless asked for
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability(tracing = false)
// Camel's MBeans (the console's view of the routes) are off in Camel tests unless asked for
@org.apache.camel.test.spring.junit5.DisableJmx(false)
public abstract class HubTestSupport {

    protected static final RagflowStub RAGFLOW = new RagflowStub();
    protected static final Path STORAGE = tempDir("ragsync-storage");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The push API key the test hub is configured with (app.push.api-key). */
    protected static final String PUSH_API_KEY = "odoo-push-test-key-0123456789";

    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected CamelContext camel;
    @Autowired
    protected RagflowGate gate;
    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) {
        hubProperties(registry, "ragsync_test");
    }

    public static void hubProperties(DynamicPropertyRegistry registry, String database) {
        Map<String, String> props = testProperties(database, "test-instance-1");
        props.forEach((k, v) -> registry.add(k, () -> v));
    }

    /** Properties of a hub instance for the tests; a second instance uses the same with another id. */
    public static Map<String, String> testProperties(String database, String instanceId) {
        return Map.ofEntries(
                Map.entry("spring.datasource.url", TestPostgres.jdbcUrl(database)),
                Map.entry("spring.datasource.username", "postgres"),
                Map.entry("spring.datasource.password", ""),
                // at JVM exit the embedded PostgreSQL's shutdown hook may stop it while a context still hands its
                // jobs back: fail that fast instead of waiting out the production timeout
                Map.entry("spring.datasource.hikari.connection-timeout", "2000"),
                Map.entry("app.instance-id", instanceId),
                Map.entry("app.storage.root", STORAGE.toString()),
                Map.entry("app.ragflow.base-url", RAGFLOW.baseUrl()),
                Map.entry("app.ragflow.api-key", RagflowStub.API_KEY),
                Map.entry("app.ragflow.parse-poll-interval-ms", "100"),
                Map.entry("app.ragflow.auth-probe-interval-ms", "600000"),
                Map.entry("app.jobs.poll-interval-ms", "100"),
                Map.entry("app.jobs.batch-size", "5"),
                Map.entry("app.jobs.parallelism", "3"),
                Map.entry("app.jobs.lease-seconds", "30"),
                Map.entry("app.jobs.maintenance-cron", "0/1 * * * * ?"),
                Map.entry("app.jobs.redelivery.maximum", "2"),
                Map.entry("app.jobs.redelivery.delay-ms", "10"),
                Map.entry("app.jobs.retry.max-attempts", "3"),
                Map.entry("app.jobs.retry.base-delay-seconds", "0.2"),
                Map.entry("app.jobs.retry.max-delay-seconds", "1"),
                Map.entry("app.jobs.shutdown-grace-seconds", "3"),
                Map.entry("app.jobs.heartbeat-interval-ms", "300"),
                Map.entry("app.drop.poll-interval-ms", "200"),
                Map.entry("app.drop.read-lock.check-interval-ms", "100"),
                Map.entry("app.drop.read-lock.min-age-ms", "600"),
                Map.entry("app.drop.read-lock.timeout-ms", "10000"),
                Map.entry("app.drop.removal-scan-interval-ms", "300"),
                Map.entry("app.push.api-key", PUSH_API_KEY),
                Map.entry("app.push.sync-poll-ms", "50"),
                Map.entry("app.push.max-content-bytes", "1048576"),
                // the shared context's tests script per-document failures: keep the RAGFlow circuit breaker
                // out of their way (it opens only if every one of the last 1000 calls failed); the
                // resilience and fault tests (IsolatedHubTest) run it with production-like thresholds
                Map.entry("app.resilience.breaker.sliding-window-size", "1000"),
                Map.entry("app.resilience.breaker.minimum-calls", "1000"),
                Map.entry("app.resilience.breaker.failure-rate-percent", "100"),
                // Quartz is clustered per database; Spring registers a Quartz JobStore's DataSource JVM-wide under
                // the scheduler name, so contexts in one test JVM need different names: per database, and per Camel
                // name for a context that points its pool elsewhere (HttpEmbeddingProviderTest), resolved by Spring
                Map.entry("spring.quartz.scheduler-name", "ragsync-" + database + "-${camel.main.name}"));
    }

    @BeforeEach
    void cleanSlate() throws IOException {
        awaitQuiet();
        jdbc.execute("TRUNCATE sync_job, sync_job_log, sync_dead_letter, kb_dataset, document_sync, document,"
                + " knowledge_base, kb_rest_chunks, kb_rest_documents, kb_rest_cursors, kb_sources,"
                + " drop_file, ragsync_drop_seen, ragsync_lease, ingest_document, ingest_queue_item,"
                + " ingest_log, push_source, push_chatbot, index_chunk, index_source RESTART IDENTITY CASCADE");
        RAGFLOW.reset();
        gate.reopen();
        try (Stream<Path> files = Files.walk(STORAGE)) {
            files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(STORAGE)).forEach(p -> p.toFile().delete());
        }
    }

    @AfterEach
    void letJobsSettle() {
        awaitQuiet();
    }

    /** Waits until no job is being worked on, so one test's jobs never spill into the next. */
    protected void awaitQuiet() {
        await().atMost(Duration.ofSeconds(30)).until(() ->
                jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE status = 'processing'"
                        + " OR (status = 'queued' AND next_retry_at IS NOT NULL)", Integer.class) == 0);
    }

    // ---- fixtures ------------------------------------------------------------------------------------------

    protected long knowledgeBase(String name) {
        return jdbc.queryForObject("INSERT INTO knowledge_base (name, description) VALUES (?, ?) RETURNING id",
                Long.class, name, "about " + name);
    }

    protected long document(long knowledgeBaseId, String title, String filePath) {
        return jdbc.queryForObject("INSERT INTO document (knowledge_base_id, title, file_path) VALUES (?, ?, ?) RETURNING id",
                Long.class, knowledgeBaseId, title, filePath);
    }

    /** Writes the file first, then inserts the document (whose trigger enqueues it). */
    protected long documentWithFile(long knowledgeBaseId, String title, String filePath, String content) {
        writeFile(filePath, content);
        return document(knowledgeBaseId, title, filePath);
    }

    protected HttpResponse<String> httpGet(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> httpPost(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static Path writeFile(String relativePath, String content) {
        try {
            Path file = STORAGE.resolve(relativePath);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the latest job of the document has reached one of the given statuses; returns the row. */
    protected Map<String, Object> awaitJob(long documentId, String... statuses) {
        List<String> wanted = List.of(statuses);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "SELECT status FROM sync_job WHERE document_id = ? ORDER BY id DESC LIMIT 1", documentId);
            return !rows.isEmpty() && wanted.contains((String) rows.get(0).get("status"));
        });
        return latestJob(documentId);
    }

    protected static void eventually(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(condition);
    }

    protected Map<String, Object> latestJob(long documentId) {
        return jdbc.queryForMap("SELECT * FROM sync_job WHERE document_id = ? ORDER BY id DESC LIMIT 1", documentId);
    }

    protected Map<String, Object> documentSync(long documentId) {
        return jdbc.queryForMap("SELECT * FROM document_sync WHERE document_id = ?", documentId);
    }

    protected String datasetOf(long knowledgeBaseId) {
        return jdbc.queryForObject("SELECT ragflow_dataset_id FROM kb_dataset WHERE knowledge_base_id = ?",
                String.class, knowledgeBaseId);
    }

    /** A knowledge base whose documents go to the local vector index (knowledge_base.target = 'local'). */
    protected long localKnowledgeBase(String name) {
        return jdbc.queryForObject("INSERT INTO knowledge_base (name, description, target) VALUES (?, ?, 'local')"
                + " RETURNING id", Long.class, name, "about " + name);
    }

    /** Writes binary content under the storage root (PDF, DOCX fixtures). */
    protected static Path writeBytes(String relativePath, byte[] content) {
        try {
            Path file = STORAGE.resolve(relativePath);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTP call to the hub with any method, body (null for none) and headers (name, value pairs). */
    protected HttpResponse<String> httpCall(String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
