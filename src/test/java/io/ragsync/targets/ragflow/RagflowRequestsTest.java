package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.platform.storage.StorageFiles;
import io.ragsync.platform.storage.StoredFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hc.core5.http.HttpEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RAGFlow's limits and shapes, encoded once. */
class RagflowRequestsTest {

    private final RagflowRequests requests = new RagflowRequests(new ObjectMapper(), new StorageFiles("."),
            new RagflowCredentials("k"), 1000, "PUT");

    @Test
    void datasetNamesFitRagflowsCharacterAndByteLimits() {
        assertThat(requests.datasetName("  Handbook \n")).isEqualTo("Handbook");
        assertThat(requests.datasetName("x".repeat(200))).hasSize(128);
        String cjk = "知".repeat(100);
        String name = requests.datasetName(cjk);
        assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(128);
        assertThat(name).isEqualTo("知".repeat(42));
        assertThatThrownBy(() -> requests.datasetName(" \u0001 ")).isInstanceOf(PermanentSyncException.class);
    }

    @Test
    void documentNamesKeepTheirExtensionWithin255Bytes() {
        assertThat(requests.documentName(file("report.PDF", 10))).isEqualTo("report.PDF");
        assertThat(requests.documentName(file("bad\u0007name.txt", 10))).isEqualTo("badname.txt");
        String longName = requests.documentName(file("é".repeat(300) + ".md", 10));
        assertThat(longName).endsWith(".md");
        assertThat(longName.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
    }

    @Test
    void filesRagflowWouldRefuseOrNeverParseAreRefusedUpFront() {
        assertThatThrownBy(() -> requests.documentName(file("tool.exe", 10))).hasMessageContaining("unsupported file type 'exe'");
        assertThatThrownBy(() -> requests.documentName(file("README", 10))).hasMessageContaining("(none)");
        assertThatThrownBy(() -> requests.documentName(file("empty.txt", 0))).hasMessageContaining("empty");
        assertThatThrownBy(() -> requests.documentName(file("big.txt", 1001))).hasMessageContaining("max-file-size");
    }

    @Test
    void metadataHashIsStableAndOrderIndependent() {
        Map<String, Object> meta = requests.metaFields(Map.of("document_id", 5, "knowledge_base_id", 2, "title", "T",
                "updated_at", java.sql.Timestamp.valueOf("2026-01-02 03:04:05")), "t.txt");
        assertThat(meta).containsEntry("external_id", "5").containsEntry("file_name", "t.txt")
                .containsEntry("roles", List.of()).doesNotContainKey("tenant");
        meta.forEach((k, v) -> assertThat(v).as(k).isInstanceOfAny(String.class, List.class));
        assertThat(requests.metaHash(meta)).isEqualTo(requests.metaHash(new java.util.TreeMap<>(meta)));
    }

    @Test
    void metaFieldsCarryTheDocumentsTenantAndRoles() {
        Map<String, Object> meta = requests.metaFields(Map.of("document_id", 5, "knowledge_base_id", 2, "title", "T",
                "updated_at", "x", "tenant", "acme", "allowed_roles_json", "[\"hr\",\"member\"]"), "t.txt");
        assertThat(meta).containsEntry("tenant", "acme").containsEntry("roles", List.of("hr", "member"));
    }

    @Test
    void uploadPartNamesTheFileAsBrowsersDoInRawUtf8(@TempDir Path dir) throws Exception {
        Path path = Files.writeString(dir.resolve("f.txt"), "content");
        for (String name : List.of("файл.txt", "café.txt", "a\"quoted\\name.txt")) {
            HttpEntity entity = requests.uploadEntity(new StoredFile(path, "f.txt", name, 7, "abc"), name);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            entity.writeTo(out);
            byte[] body = out.toByteArray();
            String escaped = name.replace("\\", "\\\\").replace("\"", "\\\"");
            byte[] expected = ("Content-Disposition: form-data; name=\"file\"; filename=\"" + escaped + "\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\ncontent\r\n").getBytes(StandardCharsets.UTF_8);
            assertThat(indexOf(body, expected)).as("part header of %s in%n%s", name,
                    new String(body, StandardCharsets.UTF_8)).isPositive();
            assertThat(indexOf(body, "filename*".getBytes(StandardCharsets.US_ASCII))).isNegative();
            assertThat(entity.getContentType()).startsWith("multipart/form-data; boundary=").doesNotContain("charset");
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static StoredFile file(String name, long size) {
        return new StoredFile(Path.of("/tmp", "x"), "dir/" + name, name, size, "abc");
    }
}
