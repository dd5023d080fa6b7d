package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.jobs.PermanentSyncException;
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

    private final RagflowRequests requests = new RagflowRequests(new ObjectMapper(), 1000);

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
    void emptyIdListsAreNeverSentBecauseOldServersDeleteEverything() {
        assertThat(requests.ids("abc")).isEqualTo(Map.of("ids", List.of("abc")));
        assertThat(requests.ids(List.of("a", "b"))).isEqualTo(Map.of("ids", List.of("a", "b")));
        assertThatThrownBy(() -> requests.ids(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> requests.documentIds(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leftoversAreOursByExternalIdOrByRenamedNameWithoutMetadata() {
        Map<String, Object> listing = Map.of("code", 0, "data", Map.of("total", 5, "docs", List.of(
                Map.of("id", "1", "name", "report.txt", "meta_fields", Map.of()),
                Map.of("id", "2", "name", "Report(1).TXT", "meta_fields", Map.of()),
                Map.of("id", "3", "name", "report(2).txt", "meta_fields", Map.of("external_id", "99")),
                Map.of("id", "4", "name", "renamed.txt", "meta_fields", Map.of("external_id", "7")),
                Map.of("id", "5", "name", "report-old.txt", "meta_fields", Map.of()))));
        assertThat(requests.leftoversOf(listing, 7, "report.txt")).containsExactly("1", "2", "4");
        assertThat(requests.leftovers(listing, 7, Map.of("ragflow_document_name", "report.txt"),
                List.of(Map.of("ragflow_document_id", "2")))).containsExactly("1", "4");
    }

    @Test
    void queriesAreUrlEncoded() {
        assertThat(requests.query("name", "R&D / Ops", "page", 1, "skip", null)).isEqualTo("name=R%26D+%2F+Ops&page=1");
        assertThat(requests.externalIdQueryPage(42, 2)).contains("page=2").contains("metadata_condition=")
                .contains("external_id").doesNotContain("\"");
    }

    @Test
    void adoptsOnlyDatasetsNoOtherKnowledgeBaseUses() {
        Map<String, Object> listing = Map.of("code", 0, "data", List.of(Map.of("id", "d1"), Map.of("id", "d2")));
        assertThat(requests.adoptableDatasetOf(listing, List.of("d1"))).isEqualTo("d2");
        assertThat(requests.adoptableDatasetOf(listing, List.of("d1", "d2"))).isNull();
        assertThat(requests.adoptableDatasetOf(Map.of("code", 102, "message", "lacks permission"), List.of())).isNull();
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
