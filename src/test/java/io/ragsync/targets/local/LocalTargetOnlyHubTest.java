package io.ragsync.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.ops.OpsHttp;
import io.ragsync.support.ChildHub;
import io.ragsync.support.IsolatedHubTest;
import io.ragsync.support.TestFiles;
import io.ragsync.support.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A hub as a new user starts it without RAGFlow: no RAGFlow key, every knowledge base on the local target, in a
 * JVM with the tests' small heap (256 MB, below what the in-process embedding model needs). Health, start log and
 * refusals speak of the targets in use; a local job that cannot load the model says why.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalTargetOnlyHubTest {

    private static final String DATABASE = "ragsync_local_only";
    private static final String OPS_PASSWORD = "local-only-ops-password";
    private static final Path STORAGE = TestFiles.tempDir("ragsync-local-only");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ChildHub hub;
    private static JdbcTemplate db;
    private static OpsHttp anonymous;
    private static OpsHttp operator;

    @BeforeAll
    static void startHub() throws IOException {
        Map<String, String> props = new HashMap<>(IsolatedHubTest.isolatedProperties(DATABASE, "local-only-1", Map.of()));
        props.put("app.ragflow.api-key", "");
        props.put("app.storage.root", STORAGE.toString());
        props.put("app.ops.password", OPS_PASSWORD);
        props.put("app.ops.health.cache-ms", "0");
        hub = ChildHub.start(props).awaitStarted();
        db = new JdbcTemplate(new DriverManagerDataSource(TestPostgres.jdbcUrl(DATABASE), "postgres", ""));
        int port = port();
        anonymous = OpsHttp.anonymous(port);
        operator = OpsHttp.as(port, "ops", OPS_PASSWORD);
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    @Order(1)
    void ragflowCountsInHealthOnlyWhileSomethingTargetsIt() throws Exception {
        // readiness turns UP just after the start line the child hub is awaited by
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> anonymous.get("/actuator/health").statusCode() == 200);
        JsonNode ragflow = component("ragflow");
        assertThat(ragflow.path("status").asText()).isEqualTo("UP");
        assertThat(ragflow.at("/details/inUse").asBoolean(true)).isFalse();

        long kb = db.queryForObject("INSERT INTO knowledge_base (name, target) VALUES ('On RAGFlow', 'ragflow')"
                + " RETURNING id", Long.class);
        try {
            // now RAGFlow is in use, and without a key it cannot work
            assertThat(anonymous.get("/actuator/health").statusCode()).isEqualTo(503);
            assertThat(component("ragflow").path("status").asText()).isEqualTo("CONFIG_ERROR");
        } finally {
            db.update("DELETE FROM knowledge_base WHERE id = ?", kb);
            db.update("DELETE FROM sync_job WHERE knowledge_base_id = ?", kb);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> anonymous.get("/actuator/health").statusCode() == 200);
        // the start-up probe of RAGFlow did not run: nothing in the log says RAGFlow is unreachable or refuses
        assertThat(log()).noneMatch(line -> line.contains("is not reachable") || line.contains("rejects the configuration"));
    }

    @Test
    @Order(2)
    void theStartLogSaysWhereTheDropFolderIsAndThatTheBackofficeIsClosed() throws Exception {
        List<String> report = log().stream().filter(line -> line.contains("io.ragsync.ops.StartupReport")).toList();
        assertThat(report).anyMatch(line -> line.contains("Drop folder") && line.contains(STORAGE.resolve("inbox").toString()));
        assertThat(report).anyMatch(line -> line.contains("Backoffice") && line.contains("closed"));
        assertThat(report).anyMatch(line -> line.contains("ready") && line.contains("RAGFlow not in use"));
    }

    @Test
    @Order(3)
    void aDroppedFileIsRefusedByTheLocalTargetsRuleNotRagflows() throws Exception {
        TestFiles.writeBytes(STORAGE, "inbox/Notes/x.bin", new byte[] {0, 1, 2, 3, (byte) 0xff, 0, 7, 9});
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> db.queryForObject(
                "SELECT count(*) FROM drop_file WHERE relative_path = 'Notes/x.bin' AND status = 'rejected'",
                Integer.class) == 1);
        String reason = db.queryForObject("SELECT reason FROM drop_file WHERE relative_path = 'Notes/x.bin'", String.class);
        assertThat(reason).contains("local index").doesNotContain("RAGFlow");
    }

    @Test
    @Order(4)
    void atASmallHeapTheStartLogWarnsAndALocalJobNamesWhyTheModelDidNotLoad() throws Exception {
        assertThat(log()).filteredOn(line -> line.matches("^\\S+\\s+WARN\\s.*") && line.contains("-Xmx")).hasSize(1);

        TestFiles.write(STORAGE, "inbox/Notes/leave.txt", "Employees have 25 days of paid leave per year.");
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> db.queryForObject(
                "SELECT count(*) FROM sync_job j JOIN document d ON d.id = j.document_id"
                        + " WHERE d.title = 'leave.txt' AND j.status = 'failed'", Integer.class) == 1);
        String error = db.queryForObject("SELECT j.last_error FROM sync_job j JOIN document d ON d.id = j.document_id"
                + " WHERE d.title = 'leave.txt'", String.class);
        assertThat(error).contains("could not be loaded").contains("OutOfMemoryError");
        assertThat(log()).anyMatch(line -> line.matches("^\\S+\\s+ERROR\\s.*") && line.contains("OutOfMemoryError"));
    }

    private static JsonNode component(String name) throws Exception {
        return JSON.readTree(operator.get("/actuator/health").body()).at("/components/" + name);
    }

    private static List<String> log() throws IOException {
        return Files.readAllLines(hub.log().toPath());
    }

    private static int port() throws IOException {
        Matcher m = Pattern.compile("Tomcat started on port (\\d+)").matcher(Files.readString(hub.log().toPath()));
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
