package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.platform.storage.StorageFiles;
import io.ragsync.platform.storage.StoredFile;
import io.ragsync.targets.ragflow.RagflowCall.Missing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.hc.core5.http.HttpEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RAGFlow seam: what each operation sends (RagflowRequests) and what each answer reads as (RagflowResponses). */
class RagflowSeamTest {

    private final RagflowRequests requests = new RagflowRequests(new ObjectMapper(), new StorageFiles("."),
            new RagflowCredentials("ragflow-secret"), 1000, "PATCH");
    private final RagflowResponses responses = new RagflowResponses(new ObjectMapper());

    private static RagflowDocument doc(String ragflowId, String ragflowName, StoredFile file) {
        return new RagflowDocument(7L, 2L, "R&D / Ops", "about", "kb1", "ds/1", ragflowId, ragflowName, null, null,
                "indexed", true, file, file == null ? null : file.fileName(), Map.of("external_id", "7"), "h", null,
                "swap");
    }

    private static void sends(RagflowCall call, String method, String path, String query, Object body, Missing missing) {
        assertThat(call.method()).isEqualTo(method);
        assertThat(call.path()).isEqualTo(path);
        assertThat(call.query()).isEqualTo(query);
        if (body != null) {
            assertThat(call.body()).isEqualTo(body);
        }
        assertThat(call.missing()).isEqualTo(missing);
    }

    @Test
    void everyOperationIsOneCallWithItsMethodPathQueryAndBody(@TempDir Path dir) throws Exception {
        RagflowDocument doc = doc("doc 1", "report.txt", null);
        sends(requests.listOneDataset(), "GET", "/datasets", "page=1&page_size=1", "", Missing.FAIL);
        sends(requests.findDataset(doc), "GET", "/datasets", "name=R%26D+%2F+Ops&page=1&page_size=100", "", Missing.EMPTY);
        sends(requests.getDataset("ds/1"), "GET", "/datasets", "id=ds%2F1&page=1&page_size=1", "", Missing.EMPTY);
        sends(requests.createDataset(doc), "POST", "/datasets", null, Map.of("name", "R&D / Ops", "description", "about"),
                Missing.FAIL);
        sends(requests.deleteDataset("ds1"), "DELETE", "/datasets", null, Map.of("ids", List.of("ds1")), Missing.EMPTY);
        sends(requests.listDocuments("ds/1", 1), "GET", "/datasets/ds%2F1/documents",
                "page=2&page_size=100&orderby=create_time&desc=false", "", Missing.FAIL);
        sends(requests.getDocument("ds1", "doc 1"), "GET", "/datasets/ds1/documents", "id=doc+1&page=1&page_size=1", "",
                Missing.EMPTY);
        sends(requests.findLeftovers(doc), "GET", "/datasets/ds%2F1/documents", "keywords=report&page=1&page_size=100", "",
                Missing.EMPTY);
        RagflowCall byExternalId = requests.findByExternalId("ds1", doc);
        sends(byExternalId, "GET", "/datasets/ds1/documents", byExternalId.query(), "", Missing.EMPTY);
        assertThat(byExternalId.query()).startsWith("page=1&page_size=100&metadata_condition=")
                .contains("external_id").doesNotContain("\"");
        sends(requests.updateMeta("ds1", doc), "PATCH", "/datasets/ds1/documents/doc%201", null,
                Map.of("meta_fields", Map.of("external_id", "7")), Missing.FAIL);
        sends(requests.deleteDocuments("ds1", List.of("a", "b"), Missing.RETRY), "DELETE", "/datasets/ds1/documents", null,
                Map.of("ids", List.of("a", "b")), Missing.RETRY);
        sends(requests.parse("ds1", doc), "POST", "/datasets/ds1/chunks", null, Map.of("document_ids", List.of("doc 1")),
                Missing.RETRY);
        Path path = Files.writeString(dir.resolve("f.txt"), "content");
        RagflowCall upload = requests.upload("ds1", doc(null, null, new StoredFile(path, "f.txt", "f.txt", 7, "abc")));
        sends(upload, "POST", "/datasets/ds1/documents", null, null, Missing.FAIL);
        assertThat(upload.body()).isInstanceOf(HttpEntity.class);
    }

    @Test
    void noCallIsBuiltWithoutItsIdsBecauseRagflowMergesSlashesAndOldServersDeleteEverything() {
        assertThatThrownBy(() -> requests.getDocument("", "d")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> requests.getDataset(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> requests.deleteDocuments("ds1", List.of(), Missing.EMPTY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> requests.deleteDocuments("ds1", List.of(" "), Missing.EMPTY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCallBecomesTheHttpRequestWithTheKeyAndAJsonBody() throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("X-From-Outside", "x");
        exchange.getMessage().setBody(requests.deleteDataset("ds1"));
        requests.http(exchange);
        assertThat(exchange.getMessage().getHeaders()).containsEntry(Exchange.HTTP_METHOD, "DELETE")
                .containsEntry(Exchange.HTTP_PATH, "/datasets").containsEntry(Exchange.CONTENT_TYPE, "application/json")
                .containsEntry("Authorization", "Bearer ragflow-secret").containsEntry("Accept", "application/json");
        assertThat(exchange.getMessage().getBody(String.class)).isEqualTo("{\"ids\":[\"ds1\"]}");
        assertThat(exchange.getVariable(RagflowResponses.CALL_VARIABLE)).isEqualTo(requests.deleteDataset("ds1"));
    }

    @Test
    void answersAreReadIntoItemsWhateverTheirShape() {
        RagflowAnswer docs = responses.read(200, "{\"code\":0,\"data\":{\"total\":1,\"docs\":[{\"id\":\"d1\",\"name\":\"a.txt\","
                + "\"run\":\"DONE\",\"chunk_count\":3,\"progress_msg\":\"x\\nTask done\\n\",\"size\":7,\"content_hash\":\"ff\","
                + "\"create_time\":5,\"meta_fields\":{\"external_id\":\"7\"},\"unknown\":1}]}}", null, Missing.FAIL);
        assertThat(docs.first()).isEqualTo(new RagflowAnswer.Item("d1", "a.txt", "DONE", 3L, "x\nTask done\n", 7L, "ff", 5L,
                Map.of("external_id", "7")));
        assertThat(docs.first().externalId()).isEqualTo("7");
        assertThat(docs.first().lastProgressLine()).isEqualTo("Task done");
        assertThat(responses.read(200, "{\"code\":0,\"data\":[{\"id\":\"a\",\"name\":\"kb\"}]}", null, Missing.FAIL).ids())
                .containsExactly("a");
        assertThat(responses.read(200, "{\"code\":0,\"data\":{\"id\":\"ds\",\"name\":\"kb(1)\"}}", null, Missing.FAIL).first().name())
                .isEqualTo("kb(1)");
        assertThat(responses.read(200, "{\"code\":0}", null, Missing.FAIL).items()).isEmpty();
    }

    @Test
    void code102IsWhatTheCallSaysItMeans() {
        String gone = "{\"code\":102,\"message\":\"You don't own the dataset x. \"}";
        RagflowAnswer absent = responses.read(200, gone, null, Missing.EMPTY);
        assertThat(absent.ok()).isFalse();
        assertThat(absent.code()).isEqualTo(102);
        assertThat(absent.items()).isEmpty();
        assertThatThrownBy(() -> responses.read(200, gone, null, Missing.FAIL))
                .isInstanceOfSatisfying(RagflowApiException.class, e -> assertThat(e.getCode()).isEqualTo(102));
        assertThatThrownBy(() -> responses.read(200, gone, null, Missing.RETRY))
                .isExactlyInstanceOf(RagflowTransientException.class);
        assertThat(responses.read(200, "{\"code\":102,\"message\":\"Document is currently being processed\"}", null,
                Missing.RETRY).code()).isEqualTo(102);
        // other codes keep their meaning whatever the call says of 102
        Map.of("{\"code\":101,\"message\":\"bad\"}", RagflowApiException.class,
                "{\"code\":109,\"message\":\"bad key\"}", RagflowConfigException.class).forEach((answer, failure) ->
                assertThatThrownBy(() -> responses.read(200, answer, null, Missing.EMPTY)).isInstanceOf(failure));
    }

    @Test
    void aRowOfTheHubsOwnBecomesOneDocument() {
        Map<String, Object> row = new java.util.HashMap<>(Map.of("document_id", 7, "knowledge_base_id", 2, "kb_name", "KB",
                "synced_dataset_id", "ds1", "kb_dataset_id", "ds1", "ragflow_document_id", "r1", "meta_hash", "m",
                "sync_status", "indexed", "upload_pending", true, "updated_at", new java.sql.Timestamp(0)));
        RagflowDocument doc = requests.stored(row);
        assertThat(doc.documentId()).isEqualTo(7L);
        assertThat(doc.datasetId()).isEqualTo("ds1");
        assertThat(doc.ragflowDocumentId()).isEqualTo("r1");
        assertThat(doc.metaHash()).isEqualTo("m");
        assertThat(doc.indexed()).isTrue();
        assertThat(doc.uploadPending()).isTrue();
        assertThat(doc.mayHaveLeftovers()).isFalse();
        assertThat(doc.file()).isNull();
    }

    @Test
    void aStatusCheckSaysWhereTheParseStandsAndWhatTheJobRecords() {
        Map<String, Object> row = Map.of("ragflow_document_id", "r1", "parse_overdue", false);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        RagflowAnswer.Item done = new RagflowAnswer.Item("r1", "a.txt", "DONE", 4L, "x\ndone", null, null, null, null);
        assertThat(responses.parseState(new RagflowAnswer(0, "", List.of(done)), row, 60, exchange)).isEqualTo("indexed");
        assertThat(exchange.getProperties()).containsEntry("outcome", "indexed").containsEntry("ragflowRun", "DONE")
                .containsEntry("chunkCount", 4L).containsEntry("progressMessage", "done")
                .containsEntry("ragMessage", "RAGFlow document r1 parsed: 4 chunks");
        assertThat(responses.parseState(new RagflowAnswer(102, "gone", List.of()), row, 60, exchange)).isEqualTo("gone");
        RagflowAnswer.Item running = new RagflowAnswer.Item("r1", "a.txt", "RUNNING", 0L, "", null, null, null, null);
        RagflowAnswer stillRunning = new RagflowAnswer(0, "", List.of(running));
        assertThat(responses.parseState(stillRunning, row, 60, exchange)).isEqualTo("parsing");
        assertThat(responses.parseState(stillRunning, Map.of("ragflow_document_id", "r1", "parse_overdue", true), 60,
                exchange)).isEqualTo("failed");
        assertThat((String) exchange.getProperty("errorMessage")).contains("within 60 s");
    }

    @Test
    void leftoversAreOursByExternalIdOrByRenamedNameWithoutMetadata() {
        RagflowAnswer listing = new RagflowAnswer(0, "", List.of(item("1", "report.txt", null), item("2", "Report(1).TXT", null),
                item("3", "report(2).txt", "99"), item("4", "renamed.txt", "7"), item("5", "report-old.txt", null)));
        assertThat(responses.leftovers(listing, doc("x", "report.txt", null), List.of())).containsExactly("1", "2", "4");
        assertThat(responses.leftovers(listing, doc("x", "report.txt", null), List.of(Map.of("ragflow_document_id", "2"))))
                .containsExactly("1", "4");
    }

    @Test
    void adoptsOnlyDatasetsNoOtherKnowledgeBaseUses() {
        RagflowAnswer listing = new RagflowAnswer(0, "", List.of(item("d1", "kb", null), item("d2", "KB", null)));
        assertThat(responses.adoptable(listing, List.of(Map.of("ragflow_dataset_id", "d1"))).id()).isEqualTo("d2");
        assertThat(responses.adoptable(listing, List.of(Map.of("ragflow_dataset_id", "d1"), Map.of("ragflow_dataset_id", "d2"))))
                .isNull();
        assertThat(responses.adoptable(new RagflowAnswer(102, "lacks permission", List.of()), List.of())).isNull();
    }

    private static RagflowAnswer.Item item(String id, String name, String externalId) {
        return new RagflowAnswer.Item(id, name, null, null, null, null, null, null,
                externalId == null ? Map.of() : Map.of("external_id", externalId));
    }
}
