package io.ragsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ragsync.ops.OpsTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * routes/ops/sources-dashboard.camel.yaml: the dashboard's JSON of dropped files that are not synced (refused with
 * the reason, skipped hidden and temporary files) over real HTTP with the operator login. The REST sources' part is
 * in io.ragsync.sources.rest.RestSourceFailuresTest, beside the REST API stub.
 */
class SourcesDashboardApiTest extends OpsTestSupport {

    @Test
    void refusedAndSkippedDropFilesAreListedWithTheirReasonsAndCounted() throws Exception {
        drop("Desk/.DS_Store", "finder");
        drop("Desk/~$memo.docx", "lock");
        drop("Desk/setup.exe", "MZ");
        drop("Desk/empty.txt", "");
        drop("Desk/memo.txt", "fine");
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM drop_file", Integer.class) == 5);

        HttpResponse<String> response = operator.get("/ops/api/drop-files");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = mapper.readTree(response.body());
        assertThat(answer.at("/counts/rejected").asInt()).isEqualTo(2);
        assertThat(answer.at("/counts/skipped").asInt()).isEqualTo(2);
        List<String> listed = new ArrayList<>();
        answer.get("files").forEach(f -> {
            listed.add(f.get("path").asText() + " " + f.get("status").asText());
            assertThat(f.get("reason").asText()).as(f.toString()).isNotBlank();
            assertThat(f.get("checkedAt").isTextual()).isTrue();
        });
        assertThat(listed).containsExactlyInAnyOrder("Desk/.DS_Store skipped", "Desk/~$memo.docx skipped",
                "Desk/setup.exe rejected", "Desk/empty.txt rejected");

        assertThat(mapper.readTree(operator.get("/ops/api/drop-files?limit=1").body()).get("files")).hasSize(1);
        assertThat(operator.get("/ops/api/drop-files?limit=0").statusCode()).isEqualTo(400);
        assertThat(anonymous.get("/ops/api/drop-files").statusCode()).isNotEqualTo(200);
    }

    private static void drop(String relativePath, String content) {
        try {
            Path file = STORAGE.resolve("inbox").resolve(relativePath);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(5)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
