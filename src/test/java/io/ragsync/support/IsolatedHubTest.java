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
import java.util.HashMap;
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

/**
 * A hub with its OWN database, storage root and RAGFlow stub, for tests that need other settings than the
 * shared context (HubTestSupport) and must not share its queue: the shared context's pollers keep running
 * while another context is tested, so a common database would let them take each other's jobs. A subclass
 * declares its own {@code @DynamicPropertySource} calling {@link #isolatedProperties}; its properties are
 * the shared test properties plus the given overrides.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class IsolatedHubTest {

    protected static final RagflowStub STUB = new RagflowStub();
    protected static final Path ROOT = tempDir("ragsync-isolated-storage");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected CamelContext camel;
    @Autowired
    protected RagflowGate gate;
    @LocalServerPort
    protected int port;

    /** The shared test properties on database {@code database}, with this class's stub and storage, plus overrides. */
    public static Map<String, String> isolatedProperties(String database, String instanceId, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>(HubTestSupport.testProperties(database, instanceId));
        props.put("app.storage.root", ROOT.toString());
        props.put("app.ragflow.base-url", STUB.baseUrl());
        props.putAll(overrides);
        return props;
    }

    protected static void register(DynamicPropertyRegistry registry, Map<String, String> props) {
        props.forEach((k, v) -> registry.add(k, () -> v));
    }

    @BeforeEach
    void cleanIsolatedSlate() throws IOException {
        awaitQuiet();
        jdbc.execute("TRUNCATE sync_job, sync_job_log, sync_dead_letter, kb_dataset, document_sync, document,"
                + " knowledge_base RESTART IDENTITY CASCADE");
        STUB.reset();
        gate.reopen();
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(ROOT)).forEach(p -> p.toFile().delete());
        }
    }

    @AfterEach
    void settle() {
        STUB.faults().clear();
        awaitQuiet();
    }

    protected void awaitQuiet() {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE status = 'processing'"
                        + " OR (status = 'queued' AND next_retry_at IS NOT NULL)", Integer.class) == 0);
    }

    protected long knowledgeBase(String name) {
        return jdbc.queryForObject("INSERT INTO knowledge_base (name, description) VALUES (?, ?) RETURNING id",
                Long.class, name, "about " + name);
    }

    protected long document(long knowledgeBaseId, String title, String filePath) {
        return jdbc.queryForObject("INSERT INTO document (knowledge_base_id, title, file_path) VALUES (?, ?, ?) RETURNING id",
                Long.class, knowledgeBaseId, title, filePath);
    }

    protected long documentWithFile(long knowledgeBaseId, String title, String filePath, String content) {
        writeFile(filePath, content);
        return document(knowledgeBaseId, title, filePath);
    }

    protected static Path writeFile(String relativePath, String content) {
        try {
            Path file = ROOT.resolve(relativePath);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected HttpResponse<String> httpPost(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    protected Map<String, Object> awaitJob(long documentId, String... statuses) {
        List<String> wanted = List.of(statuses);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "SELECT status FROM sync_job WHERE document_id = ? ORDER BY id DESC LIMIT 1", documentId);
            return !rows.isEmpty() && wanted.contains((String) rows.get(0).get("status"));
        });
        return jdbc.queryForMap("SELECT * FROM sync_job WHERE document_id = ? ORDER BY id DESC LIMIT 1", documentId);
    }

    protected static void eventually(java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(60)).until(condition);
    }

    protected String datasetOf(long knowledgeBaseId) {
        return jdbc.queryForObject("SELECT ragflow_dataset_id FROM kb_dataset WHERE knowledge_base_id = ?",
                String.class, knowledgeBaseId);
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
