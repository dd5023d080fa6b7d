package io.ragsync.ops;

import io.ragsync.platform.security.ApiCredentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.support.HubTestSupport;
import io.ragsync.support.RagflowStub;
import io.ragsync.support.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The JSON log format (LOG_FORMAT=ecs): one JSON object per line, the sync attempt's line with its fields, and
 * neither the RAGFlow API key nor the operator password anywhere in the output, whatever happens (a sync, a
 * rejected key, health with details, a failed and a good console login). Own context: the log format is set
 * at start-up.
 */
@CamelSpringBootTest
// the log format is read while logging starts, before dynamic properties are added
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logging.structured.format.console=ecs")
@DisableJmx
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class LogSecretsTest {

    private static final String API_KEY = "ragflow-LogTestSecretKey9876543210zyxwvutsrqponmlkjihg";
    private static final String OPS_PASSWORD = "ops-Secret-Password-4711-never-logged";
    private static final RagflowStub STUB = new RagflowStub();
    private static final Path STORAGE = TestFiles.tempDir("ragsync-logs");

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private ApiCredentials credentials;
    @LocalServerPort
    private int port;
    private final ObjectMapper mapper = new ObjectMapper();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Map<String, String> props = new HashMap<>(HubTestSupport.testProperties("ragsync_logs", "log-instance"));
        props.put("app.ragflow.base-url", STUB.baseUrl());
        props.put("app.ragflow.api-key", API_KEY);
        props.put("app.storage.root", STORAGE.toString());
        props.put("app.ops.password", OPS_PASSWORD);
        props.put("app.ops.health.cache-ms", "0");
        props.put("camel.main.name", "ragsync-logs");
        props.forEach((k, v) -> registry.add(k, () -> v));
    }

    /**
     * Spring Boot configures logging once per JVM while the logging system is marked initialized: forget the
     * configuration of earlier test contexts so this context's start-up applies the JSON format.
     */
    @BeforeAll
    static void letThisContextConfigureLogging() {
        STUB.acceptKey(API_KEY);
        // an earlier context of this JVM may have left the text format's system property behind
        System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
        LoggingSystem.get(LogSecretsTest.class.getClassLoader()).cleanUp();
    }

    /** Back to the default text lines for the test classes that run after this one in the same JVM. */
    @AfterAll
    static void stopStubAndRestoreTextLogs() {
        STUB.stop();
        System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
        LoggingSystem logging = LoggingSystem.get(LogSecretsTest.class.getClassLoader());
        logging.cleanUp();
        logging.beforeInitialize();
        logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
    }

    @Test
    void jsonLinesCarryTheSyncFieldsAndNoSecretEverAppears(CapturedOutput output) throws Exception {
        STUB.acceptKey(API_KEY);
        long kb = jdbc.queryForObject("INSERT INTO knowledge_base (name) VALUES ('Logs') RETURNING id", Long.class);
        Files.createDirectories(STORAGE.resolve("logs"));
        Files.writeString(STORAGE.resolve("logs/a.txt"), "log me", StandardCharsets.UTF_8);
        long doc = jdbc.queryForObject("INSERT INTO document (knowledge_base_id, title, file_path)"
                + " VALUES (?, 'A', 'logs/a.txt') RETURNING id", Long.class, kb);
        awaitStatus(doc, "indexed");

        OpsHttp operator = OpsHttp.as(port, "ops", OPS_PASSWORD);
        assertThat(operator.get("/actuator/health").body()).contains("\"ragflow\"");
        assertThat(OpsHttp.as(port, "ops", OPS_PASSWORD + "-wrong").get("/ops/api/overview").statusCode()).isEqualTo(401);

        // a rejected key: the error is logged, the key is not
        STUB.acceptKey("ragflow-someOtherKey");
        Files.writeString(STORAGE.resolve("logs/b.txt"), "rejected", StandardCharsets.UTF_8);
        long rejected = jdbc.queryForObject("INSERT INTO document (knowledge_base_id, title, file_path)"
                + " VALUES (?, 'B', 'logs/b.txt') RETURNING id", Long.class, kb);
        awaitStatus(rejected, "config_error");
        assertThat(operator.get("/actuator/health").body()).contains("CONFIG_ERROR");
        STUB.acceptKey(API_KEY);
        // an operator-made credential: its key is shown once, here, and never logged
        String key = credentials.create(new ApiCredentials.Request("log-test", "*", List.of(), List.of("requeue"),
                false, null)).key();
        HttpResponse<String> requeued = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/jobs/requeue"))
                .header("Content-Type", "application/json").header("X-API-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"config_error\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(requeued.body()).isEqualTo("{\"requeued\":1}");
        awaitStatus(rejected, "indexed");

        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("outcome=indexed"));
        String out = output.getAll();
        assertThat(out).doesNotContain(API_KEY).doesNotContain(API_KEY.substring(8, 30)).doesNotContain(OPS_PASSWORD)
                .doesNotContain(key.substring(key.lastIndexOf('_') + 1));
        // the capture began before the context started: the start-up lines are in it, and with a configured
        // password there is no "generated password" line
        assertThat(out).contains("Operator console (login 'ops')").contains("is reachable and accepts the API key")
                .doesNotContain("No OPS_PASSWORD set");

        // one JSON object per line, and the sync attempt's line carries its fields
        List<JsonNode> lines = out.lines().filter(l -> l.startsWith("{")).map(this::json).toList();
        assertThat(lines).isNotEmpty();
        JsonNode attempt = lines.stream()
                .filter(l -> l.path("message").asText().startsWith("sync job=") && "indexed".equals(l.path("outcome").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no JSON sync line in\n" + out));
        assertThat(attempt.path("log").path("logger").asText()).isEqualTo("io.ragsync.sync");
        assertThat(attempt.path("documentId").asLong()).isIn(doc, rejected);
        assertThat(attempt.path("jobId").asText()).isNotBlank();
        assertThat(attempt.path("op").asText()).isEqualTo("upsert");
        assertThat(attempt.path("target").asText()).isEqualTo("ragflow");
        assertThat(attempt.at("/camel/exchangeId").asText()).isNotBlank();
        assertThat(lines).anySatisfy(l -> assertThat(l.path("outcome").asText()).isEqualTo("config_error"));
    }

    private JsonNode json(String line) {
        try {
            return mapper.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON log line: " + line, e);
        }
    }

    private void awaitStatus(long documentId, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> status.equals(jdbc.queryForObject(
                "SELECT status FROM sync_job WHERE document_id = ? ORDER BY id DESC LIMIT 1", String.class, documentId)));
    }
}
