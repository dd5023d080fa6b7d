package io.ragsync.support;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole hub against a real PostgreSQL and the RAGFlow stub, with fast timings. All test classes that
 * extend this share one Spring context (same configuration), so the suite pays the start-up once.
 */
// metrics export (the Prometheus endpoint) is off in Spring Boot tests unless asked for
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability(tracing = false)
// Camel's MBeans (the console's view of the routes) are off in Camel tests unless asked for
@org.apache.camel.test.spring.junit5.DisableJmx(false)
public abstract class HubTestSupport extends HubTestBase {

    protected static final RagflowStub RAGFLOW = new RagflowStub();
    protected static final Path STORAGE = TestFiles.tempDir("ragsync-storage");
    /** The push API key the test hub is configured with (app.push.api-key). */
    protected static final String PUSH_API_KEY = "odoo-push-test-key-0123456789";

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) {
        hubProperties(registry, "ragsync_test");
    }

    public static void hubProperties(DynamicPropertyRegistry registry, String database) {
        Map<String, String> props = testProperties(database, "test-instance-1");
        props.forEach((k, v) -> registry.add(k, () -> v));
    }

    /** Properties of a hub instance for the tests; a second instance uses the same with another id. */
    /** The HS256 secret the tests' hubs verify end-user tokens with. */
    public static final String USER_TOKEN_SECRET = "test-user-token-secret-0123456789abcdef";

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
                Map.entry("app.security.user-token.secret", USER_TOKEN_SECRET),
                Map.entry("app.push.sync-poll-ms", "50"),
                Map.entry("app.push.max-content-bytes", "1048576"),
                // a link whose site drips its answer fails within a test's patience
                Map.entry("app.push.link-fetch.total-timeout-ms", "3000"),
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
    void cleanSlate() {
        // a test that failed may have left the stub failing or the gate closed: its jobs can end now
        RAGFLOW.reset();
        gate.reopen();
        awaitQuiet();
        // files first: a drop poll between the truncate and the clear would register the last test's files again
        TestFiles.clear(STORAGE);
        for (int attempt = 1; ; attempt++) {
            try {
                jdbc.execute("TRUNCATE sync_job, sync_job_log, sync_dead_letter, kb_dataset, document_sync, document,"
                        + " knowledge_base, kb_rest_chunks, kb_rest_documents, kb_rest_cursors, kb_sources,"
                        + " drop_file, ragsync_drop_seen, ragsync_lease, ingest_document, ingest_queue_item,"
                        + " ingest_log, push_source, push_chatbot, index_chunk, index_source, deletion_proof RESTART IDENTITY CASCADE");
                break;
            } catch (PessimisticLockingFailureException e) {
                // a scheduled route (REST scheduler, drop poll) locked rows in another table order: PostgreSQL
                // aborted one side of the deadlock, here the truncate, which simply runs again
                if (attempt == 5) {
                    throw e;
                }
            }
        }
        // and nothing the wait let through counts in this test's requests
        RAGFLOW.reset();
    }

    @AfterEach
    void letJobsSettle() {
        awaitQuiet();
    }

    @Override
    protected Path storageRoot() {
        return STORAGE;
    }

    protected static Path writeFile(String relativePath, String content) {
        return TestFiles.write(STORAGE, relativePath, content);
    }

    /** Writes binary content under the storage root (PDF, DOCX fixtures). */
    protected static Path writeBytes(String relativePath, byte[] content) {
        return TestFiles.writeBytes(STORAGE, relativePath, content);
    }

    /** The meta_fields the RAGFlow stub holds for the document's current RAGFlow copy. */
    @SuppressWarnings("unchecked")
    protected Map<String, Object> ragflowMetaFields(long documentId) {
        String ragflowId = (String) documentSync(documentId).get("ragflow_document_id");
        return (Map<String, Object>) RAGFLOW.allDocuments().stream()
                .filter(d -> ragflowId.equals(d.get("id"))).findFirst().orElseThrow().get("meta_fields");
    }
}
