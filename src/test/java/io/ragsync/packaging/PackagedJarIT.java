package io.ragsync.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar that `mvn package` builds starts on its embedded defaults with `java -jar` (run by failsafe after
 * packaging): routes load from inside the jar, the embedded PostgreSQL starts, HTTP answers, a dropped file is
 * indexed by the in-process embedding model; on SIGTERM it stops cleanly, its embedded PostgreSQL last.
 */
class PackagedJarIT {

    private static final Pattern EMBEDDED_DB = Pattern.compile("started the embedded PostgreSQL on localhost:(\\d+)");
    private static final Pattern READY = Pattern.compile("RAGSync \\S+ ready: HTTP on port (\\d+)");

    @Test
    void packagedJarStartsOnEmbeddedDefaults(@TempDir Path workDir) throws Exception {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("ragsync-.*\\.jar")
                    && !p.getFileName().toString().endsWith("-plain.jar")).findFirst().orElseThrow();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toAbsolutePath().toString())
                .directory(workDir.toFile()).redirectErrorStream(true);
        // to a file, not a pipe: when the process ends, the JDK closes a pipe's stream under its reader, and the
        // last lines (those of the stop) were lost
        Path log = workDir.resolve("hub.log");
        builder.redirectOutput(log.toFile());
        builder.environment().put("SERVER_PORT", "0");
        builder.environment().put("RAGFLOW_BASE_URL", "http://127.0.0.1:9");
        builder.environment().remove("DB_URL");
        builder.environment().remove("RAGFLOW_API_KEY");
        builder.environment().remove("RAGSYNC_TARGET");
        Process hub = builder.start();
        try {
            int httpPort = Awaitility.await().atMost(Duration.ofSeconds(180)).until(() -> {
                assertThat(hub.isAlive()).as("hub running; output:%n%s", Files.readString(log)).isTrue();
                Matcher ready = READY.matcher(Files.readString(log));
                return ready.find() ? Integer.parseInt(ready.group(1)) : -1;
            }, port -> port > 0);
            // readiness (database, storage, Camel) settles shortly after start-up; the whole health also reports
            // the RAGFlow target, which is deliberately absent here
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest healthRequest = HttpRequest.newBuilder(
                    URI.create("http://localhost:" + httpPort + "/actuator/health/readiness")).GET().build();
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                HttpResponse<String> health = http.send(healthRequest, HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"UP\"");
            });
            assertThat(Files.readString(log)).doesNotContain("No input stream");

            // the local target embeds with the in-process model: ONNX Runtime and the tokenizers load their
            // natives from the jar as packaged
            Path dropped = workDir.resolve("data/storage/inbox/Handbook/leave.txt");
            Files.createDirectories(dropped.getParent());
            Files.writeString(dropped, "Employees take up to twenty-five days of paid leave a year.");
            Matcher db = EMBEDDED_DB.matcher(Files.readString(log));
            assertThat(db.find()).isTrue();
            String url = "jdbc:postgresql://localhost:" + db.group(1) + "/ragsync";
            Awaitility.await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> {
                assertThat(hub.isAlive()).isTrue();
                try (Connection c = DriverManager.getConnection(url, "postgres", "");
                     PreparedStatement q = c.prepareStatement("SELECT ds.status, s.embedding_model, s.chunk_count"
                             + " FROM document d JOIN document_sync ds ON ds.document_id = d.id"
                             + " LEFT JOIN index_source s ON s.source_type = 'document' AND s.source_id = d.id::text"
                             + " WHERE d.file_path = 'inbox/Handbook/leave.txt'");
                     ResultSet row = q.executeQuery()) {
                    assertThat(row.next()).as("document of the dropped file").isTrue();
                    assertThat(row.getString(1)).as("sync status; log:%n%s", Files.readString(log))
                            .isEqualTo("indexed");
                    assertThat(row.getString(2)).startsWith("local:");
                    assertThat(row.getInt(3)).isPositive();
                }
            });

            Path dataDir = workDir.resolve("data" + File.separator + "postgres");
            assertThat(dataDir).isDirectory();

            // SIGTERM (docker stop, systemd, Ctrl+C): the job queue hands its jobs back while the embedded
            // PostgreSQL still runs, then the server stops (EmbeddedPostgresServer)
            hub.destroy();
            assertThat(hub.waitFor(60, TimeUnit.SECONDS)).as("hub stopped").isTrue();
            assertThat(Files.readString(log))
                    .contains("stopping: no unfinished job left")
                    .doesNotContain("Could not return this instance's unfinished jobs")
                    .doesNotContain("Failed to obtain JDBC Connection");
            assertThat(dataDir.resolve("postmaster.pid")).as("embedded PostgreSQL stopped").doesNotExist();
        } finally {
            hub.destroy();
            if (!hub.waitFor(60, TimeUnit.SECONDS)) {
                hub.destroyForcibly();
            }
        }
    }
}
