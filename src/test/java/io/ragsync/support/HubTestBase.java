package io.ragsync.support;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.ragsync.jobs.JobSlots;
import io.ragsync.platform.security.ApiCaller;
import io.ragsync.platform.security.ApiCredentials;
import io.ragsync.targets.ragflow.RagflowGate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.awaitility.core.ConditionTimeoutException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What every whole-hub test uses, whichever hub it runs against: the shared one ({@link HubTestSupport}) or one
 * with its own database, storage root and stub ({@link IsolatedHubTest}). Fixtures insert backend rows and
 * files under {@link #storageRoot()}, waits read the job queue, HTTP helpers call the hub.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class HubTestBase {

    /** The longest a test waits for the hub (jobs, quiet queue); a passing test never waits this long. */
    protected static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Map<Object, String> DEFAULT_KEYS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final String UNSETTLED_JOBS =
            " WHERE status = 'processing' OR (status = 'queued' AND next_retry_at IS NOT NULL)";
    /** What the hubs whose queue did not settle in time still ran then. */
    private static final Map<Object, String> UNSETTLED = new java.util.concurrent.ConcurrentHashMap<>();

    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected CamelContext camel;
    @Autowired
    protected RagflowGate gate;
    @Autowired
    protected ApiCredentials credentials;
    @Autowired
    protected JobSlots slots;
    @Autowired
    protected MeterRegistry meters;
    @LocalServerPort
    protected int port;

    /** The storage root the hub under test reads documents from. */
    protected abstract Path storageRoot();

    /**
     * Waits until no job is being worked on, so one test's jobs never spill into the next. When the wait runs out it
     * says what still runs; later waits on the same hub then look only briefly, so one stuck job fails the tests that
     * meet it rather than costing every later test of the run a minute.
     */
    protected void awaitQuiet() {
        Object hub = jdbc.getDataSource();
        Duration patience = UNSETTLED.containsKey(hub) ? Duration.ofSeconds(5) : PATIENCE;
        try {
            await().atMost(patience).until(() -> jdbc.queryForObject("SELECT count(*) FROM sync_job" + UNSETTLED_JOBS,
                    Integer.class) == 0);
            UNSETTLED.remove(hub);
        } catch (ConditionTimeoutException e) {
            String state = "jobs " + jdbc.queryForList("SELECT id, document_id, op, source, target, status, phase,"
                    + " retry_count, claimed_by, next_retry_at, lease_until, left(last_error, 300) AS last_error"
                    + " FROM sync_job" + UNSETTLED_JOBS + " ORDER BY id LIMIT 10")
                    + "; workers busy " + slots.busy() + "; RAGFlow gate " + gate.reason();
            String first = UNSETTLED.putIfAbsent(hub, state);
            throw new AssertionError("the job queue did not settle within " + patience.toSeconds() + " s: " + state
                    + (first == null ? "" : " (first seen unsettled: " + first + ")"), e);
        }
    }

    /** A counter's total over all its tags in the hub under test (0 before its first increment). */
    protected double counterTotal(String counter) {
        return meters.find(counter).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    protected static void eventually(java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(PATIENCE).until(condition);
    }

    // ---- fixtures ------------------------------------------------------------------------------------------

    protected long knowledgeBase(String name) {
        return jdbc.queryForObject("INSERT INTO knowledge_base (name, description) VALUES (?, ?) RETURNING id",
                Long.class, name, "about " + name);
    }

    /** A knowledge base whose documents go to the local vector index (knowledge_base.target = 'local'). */
    protected long localKnowledgeBase(String name) {
        return jdbc.queryForObject("INSERT INTO knowledge_base (name, description, target) VALUES (?, ?, 'local')"
                + " RETURNING id", Long.class, name, "about " + name);
    }

    protected long document(long knowledgeBaseId, String title, String filePath) {
        return jdbc.queryForObject("INSERT INTO document (knowledge_base_id, title, file_path) VALUES (?, ?, ?) RETURNING id",
                Long.class, knowledgeBaseId, title, filePath);
    }

    /** Writes the file first, then inserts the document (whose trigger enqueues it). */
    protected long documentWithFile(long knowledgeBaseId, String title, String filePath, String content) {
        TestFiles.write(storageRoot(), filePath, content);
        return document(knowledgeBaseId, title, filePath);
    }

    // ---- the queue and the sync state ----------------------------------------------------------------------

    /** Waits until the latest job of the document has reached one of the given statuses; returns the row. */
    protected Map<String, Object> awaitJob(long documentId, String... statuses) {
        List<String> wanted = List.of(statuses);
        await().atMost(PATIENCE).until(() -> {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "SELECT status FROM sync_job WHERE document_id = ? ORDER BY id DESC LIMIT 1", documentId);
            return !rows.isEmpty() && wanted.contains((String) rows.get(0).get("status"));
        });
        return latestJob(documentId);
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

    // ---- HTTP to the hub -----------------------------------------------------------------------------------

    /**
     * The key of a platform-wide credential with every right, which the HTTP helpers send to {@code /api/**} unless
     * a test passes its own credential header (created once per database).
     */
    protected String apiKey() {
        return DEFAULT_KEYS.computeIfAbsent(jdbc.getDataSource(), ds -> apiKey("test-all-rights-" + System.nanoTime(),
                ApiCaller.ANY_TENANT, List.of(), List.copyOf(ApiCaller.RIGHTS), false));
    }

    /** Creates a credential and returns its key. */
    protected String apiKey(String name, String tenant, List<String> roles, List<String> rights, boolean actsForUsers) {
        return credentials.create(new ApiCredentials.Request(name, tenant, roles, rights, actsForUsers, null)).key();
    }

    protected HttpResponse<String> httpGet(String path) throws IOException, InterruptedException {
        return httpCall("GET", path, null);
    }

    protected HttpResponse<String> httpPost(String path, String json) throws IOException, InterruptedException {
        return httpCall("POST", path, json, "Content-Type", "application/json");
    }

    /** An HTTP call to the hub with any method, body (null for none) and headers (name, value pairs). */
    protected HttpResponse<String> httpCall(String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        boolean credentialGiven = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            credentialGiven |= headers[i].equalsIgnoreCase("X-API-Key") || headers[i].equalsIgnoreCase("Authorization")
                    || headers[i].equalsIgnoreCase("X-Odoo-API-Key");
        }
        if (!credentialGiven && path.startsWith("/api/") && !path.startsWith("/api/internal/")) {
            request.header("X-API-Key", apiKey());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
