package io.ragsync.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar that `mvn package` builds starts on its embedded defaults with `java -jar` (run by failsafe after
 * packaging): routes load from inside the jar, the embedded PostgreSQL starts, HTTP answers.
 */
class PackagedJarIT {

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
        builder.environment().put("SERVER_PORT", "0");
        builder.environment().put("RAGFLOW_BASE_URL", "http://127.0.0.1:9");
        builder.environment().remove("DB_URL");
        Process hub = builder.start();
        StringBuilder output = new StringBuilder();
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> readUntilReady(hub, output));
        try {
            int httpPort = port.get(180, TimeUnit.SECONDS);
            assertThat(httpPort).as("hub output:%n%s", output).isPositive();
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + httpPort + "/actuator/health")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"UP\"");
            assertThat(output).doesNotContain("No input stream");
            assertThat(workDir.resolve("data" + File.separator + "postgres")).isDirectory();
        } finally {
            hub.destroy();
            if (!hub.waitFor(60, TimeUnit.SECONDS)) {
                hub.destroyForcibly();
            }
        }
    }

    /** Reads the hub's output until it says it is ready; returns its HTTP port, or -1 if it ended first. */
    private static int readUntilReady(Process hub, StringBuilder output) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(hub.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
                Matcher ready = READY.matcher(line);
                if (ready.find()) {
                    CompletableFuture.runAsync(() -> drain(reader));
                    return Integer.parseInt(ready.group(1));
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void drain(BufferedReader reader) {
        try (reader) {
            while (reader.readLine() != null) {
                // keep the pipe empty so the hub never blocks on its own logging
            }
        } catch (IOException ignored) {
            // the hub was stopped
        }
    }
}
