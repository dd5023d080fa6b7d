package io.ragsync.sources.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * routes/sources/rest/rest-backoffice-api.camel.yaml and rest-source-delete.camel.yaml: admin guard, validation on
 * save (bad fields named by their paths), metrics, delete down to RAGFlow.
 */
class RestBackofficeApiTest extends RestSourceTestSupport {

    @Test
    void onlyPlatformAdminsGetInWithJsonErrorsOtherwise() throws Exception {
        HttpResponse<String> none = backoffice("GET", "/api/backoffice/rest-sources", null, null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(json(none)).containsEntry("error", "unauthorized");

        HttpResponse<String> wrong = backoffice("GET", "/api/backoffice/rest-sources", null, ADMIN_TOKEN + "x", "platform-admin");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong)).containsEntry("error", "unauthorized").containsEntry("message", "the admin token is not valid");

        HttpResponse<String> noRole = backoffice("GET", "/api/backoffice/rest-sources", null, ADMIN_TOKEN, null);
        assertThat(noRole.statusCode()).isEqualTo(403);
        assertThat(json(noRole)).containsEntry("error", "forbidden");
        HttpResponse<String> tenantAdmin = backoffice("POST", "/api/backoffice/rest-batch", Map.of("sourceId", 1), ADMIN_TOKEN, "tenant-admin");
        assertThat(tenantAdmin.statusCode()).isEqualTo(403);

        HttpResponse<String> ok = admin("GET", "/api/backoffice/rest-sources", null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("[]");
        // the credential never comes back as a response header
        assertThat(ok.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("Authorization") || h.equalsIgnoreCase("X-Ragsync-Role"));

        // X-Admin-Token works as well; nothing was created or run by the refused requests
        HttpResponse<String> alt = http("GET", "/api/backoffice/rest-sources", Map.of("X-Admin-Token", ADMIN_TOKEN, "X-Ragsync-Role", "platform-admin"));
        assertThat(alt.statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kb_sources", Integer.class)).isZero();
    }

    @Test
    void invalidSourcesAreRefusedNamingEveryBadField() throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("baseUrl", "ftp://example.com/x");
        config.put("itemsPath", "products");
        config.put("cursorStyle", "offset");
        config.put("headersTemplate", Map.of("Authorization", "Bearer sk-live-123", "X-Trace", "{{TRACE}}"));
        config.put("textField", List.of("title"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenantId", "");
        body.put("title", "Broken");
        body.put("schedule", "every hour");
        body.put("config", config);
        HttpResponse<String> refused = admin("POST", "/api/backoffice/rest-sources", body);
        assertThat(refused.statusCode()).isEqualTo(400);
        Map<String, Object> answer = json(refused);
        assertThat(answer).containsEntry("error", "invalid_source");
        @SuppressWarnings("unchecked")
        Map<String, String> fields = (Map<String, String>) answer.get("fields");
        assertThat(fields).containsKeys("tenantId", "schedule", "config.baseUrl", "config.itemsPath", "config.cursorParam",
                "config.totalPath", "config.headersTemplate.Authorization",
                "config.headersTemplate.X-Trace", "config.textField", "config.textFields");
        assertThat(fields.get("config.headersTemplate.Authorization")).contains("{{API_KEY}}");
        assertThat(refused.body()).doesNotContain("sk-live-123");

        HttpResponse<String> notJson = admin("POST", "/api/backoffice/rest-sources",
                Map.of("tenantId", "t", "title", "x", "config", "{\"baseUrl\": "));
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).get("fields").toString()).contains("config=is not valid JSON");

        HttpResponse<String> malformedBody = admin("POST", "/api/backoffice/rest-sources", "{not json");
        assertThat(malformedBody.statusCode()).isEqualTo(400);
        assertThat(json(malformedBody)).containsEntry("error", "bad_request");

        assertThat(jdbc.queryForObject("SELECT count(*) FROM kb_sources", Integer.class)).isZero();
        assertThat(admin("POST", "/api/backoffice/rest-batch", Map.of("sourceId", 99)).statusCode()).isEqualTo(404);
        assertThat(admin("POST", "/api/backoffice/rest-batch", Map.of("sourceId", "abc")).statusCode()).isEqualTo(400);
        assertThat(admin("PUT", "/api/backoffice/rest-sources/99", Map.of("tenantId", "t", "title", "x", "config", productsConfig()))
                .statusCode()).isEqualTo(404);
    }

    @Test
    void aBadSourceIdIsNamedByItsField() throws Exception {
        HttpResponse<String> batch = admin("POST", "/api/backoffice/rest-batch", Map.of("sourceId", "abc"));
        assertThat(batch.statusCode()).isEqualTo(400);
        assertThat(json(batch)).containsEntry("error", "bad_request").containsEntry("field", "sourceId");
        HttpResponse<String> missing = admin("POST", "/api/backoffice/rest-batch", Map.of());
        assertThat(json(missing)).containsEntry("field", "sourceId");
        HttpResponse<String> path = admin("PUT", "/api/backoffice/rest-sources/abc",
                Map.of("tenantId", "t", "title", "x", "config", productsConfig()));
        assertThat(path.statusCode()).isEqualTo(400);
        assertThat(json(path)).containsEntry("error", "bad_request").containsEntry("field", "id");
        assertThat(json(admin("DELETE", "/api/backoffice/rest-sources/-1", null))).containsEntry("field", "id");
    }

    @Test
    void aBodyThatIsNoObjectOrHoldsANulCharacterIsRefusedBeforeTheDatabase() throws Exception {
        HttpResponse<String> array = admin("POST", "/api/backoffice/rest-sources", "[1]");
        assertThat(array.statusCode()).isEqualTo(400);
        assertThat(json(array)).containsEntry("error", "bad_request");
        HttpResponse<String> nul = admin("POST", "/api/backoffice/rest-sources",
                Map.of("tenantId", "t", "title", "a\u0000b", "config", productsConfig()));
        assertThat(nul.statusCode()).isEqualTo(400);
        assertThat(json(nul)).containsEntry("error", "bad_request").containsEntry("field", "title");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kb_sources", Integer.class)).isZero();
    }

    @Test
    void aBadNestedFieldIsNamedByItsPath() throws Exception {
        Map<String, Object> config = new LinkedHashMap<>(Map.of("baseUrl", "http://api.local/x", "cursorStyle", "link",
                "itemsPath", "$.items", "textFields", List.of("title"), "pageSizeParam", "limit"));
        config.put("defaultPageSize", 0);
        HttpResponse<String> refused = admin("POST", "/api/backoffice/rest-sources",
                Map.of("tenantId", "acme", "title", "Items", "config", config));
        assertThat(refused.statusCode()).isEqualTo(400);
        Map<String, Object> answer = json(refused);
        assertThat(answer).containsEntry("error", "invalid_source").containsEntry("field", "config.defaultPageSize");
        assertThat((String) answer.get("message")).startsWith("config.defaultPageSize: ");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kb_sources", Integer.class)).isZero();
    }

    @Test
    void listShowsMetricsAndNeverASecret() throws Exception {
        long source = createSource("Acme Products", productsConfig());
        batch(source);
        HttpResponse<String> list = admin("GET", "/api/backoffice/rest-sources", null);
        assertThat(list.body()).doesNotContain(ACME_SECRET).contains("{{API_KEY}}");
        List<Map<String, Object>> sources = JSON.readValue(list.body(), new com.fasterxml.jackson.core.type.TypeReference<>() { });
        assertThat(sources).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) sources.get(0).get("metrics");
        assertThat(metrics).containsEntry("pages", 1).containsEntry("items", 5).containsEntry("chunks", 5)
                .containsEntry("documents", 1).containsEntry("nextCursor", "5").containsEntry("done", false)
                .containsEntry("lastStatus", "ok").containsEntry("lastHttpStatus", 200).containsKey("lastSyncedAt");
        // the secret went to the API in the configured header, and nothing of the admin's request did
        LoggedRequest sent = API.wireMock().findAll(getRequestedFor(urlPathEqualTo("/products"))).get(0);
        assertThat(sent.getHeader("X-Api-Key")).isEqualTo(ACME_SECRET);
        assertThat(sent.containsHeader("Authorization")).isFalse();
        assertThat(sent.containsHeader("X-Ragsync-Role")).isFalse();
        assertThat(sent.containsHeader("Content-Type")).isFalse();

        // disabled sources do not sync
        Map<String, Object> body = Map.of("tenantId", "tenant-a", "title", "Acme Products", "config", productsConfig(), "enabled", false);
        assertThat(admin("PUT", "/api/backoffice/rest-sources/" + source, body).statusCode()).isEqualTo(200);
        HttpResponse<String> disabled = admin("POST", "/api/backoffice/rest-batch", Map.of("sourceId", source));
        assertThat(disabled.statusCode()).isEqualTo(409);
        assertThat(json(disabled)).containsEntry("error", "conflict");
    }

    @Test
    void deleteRemovesChunksDocumentsCursorAndSourceAndTheDocumentDownstream() throws Exception {
        long source = createSource("Acme Products", productsConfig());
        pullUntilDone(source, 10);
        long documentId = jdbc.queryForObject("SELECT document_id FROM kb_rest_documents WHERE source_id = ?", Long.class, source);
        String path = jdbc.queryForObject("SELECT file_path FROM document WHERE id = ?", String.class, documentId);
        eventually(() -> "indexed".equals(jdbc.queryForObject("SELECT status FROM sync_job WHERE document_id = ? ORDER BY id DESC LIMIT 1",
                String.class, documentId)));
        assertThat(RAGFLOW.allDocuments()).hasSize(1);

        HttpResponse<String> deleted = admin("DELETE", "/api/backoffice/rest-sources/" + source, null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted)).containsEntry("deleted", (int) source).containsEntry("chunks", 23).containsEntry("documents", 1);

        for (String table : List.of("kb_rest_chunks", "kb_rest_documents", "kb_rest_cursors")) {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE source_id = ?", Integer.class, source)).as(table).isZero();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kb_sources", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document", Integer.class)).isZero();
        assertThat(Files.exists(STORAGE.resolve(path))).isFalse();
        // downstream: the spine deletes the daily document in RAGFlow
        eventually(() -> "deleted".equals(jdbc.queryForObject("SELECT status FROM sync_job WHERE document_id = ? ORDER BY id DESC LIMIT 1",
                String.class, documentId)));
        assertThat(RAGFLOW.allDocuments()).isEmpty();

        assertThat(admin("DELETE", "/api/backoffice/rest-sources/" + source, null).statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> http(String method, String path, Map<String, String> headers) throws Exception {
        var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path))
                .method(method, java.net.http.HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return java.net.http.HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
