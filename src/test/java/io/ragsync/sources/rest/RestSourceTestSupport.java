package io.ragsync.sources.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.support.HubTestSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** The hub plus a paginated external API on loopback, an admin token and a provider secret for the REST sources. */
abstract class RestSourceTestSupport extends HubTestSupport {

    static final String ADMIN_TOKEN = "bo-admin-token-7f3c9a1e2d";
    static final String ACME_SECRET = "acme-secret-KEY-0123456789";
    static final RestApiStub API = new RestApiStub();
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static {
        // read at each request / fetch (Environment is live), so the shared test context needs no restart
        System.setProperty("app.backoffice.admin-token", ADMIN_TOKEN);
        System.setProperty("app.rest.secrets.acme", ACME_SECRET);
    }

    @BeforeEach
    void resetApi() {
        API.reset();
    }

    // ---- configs of the four cursor styles ------------------------------------------------------------------

    static Map<String, Object> productsConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("baseUrl", API.baseUrl() + "/products");
        c.put("cursorStyle", "offset");
        c.put("cursorParam", "skip");
        c.put("pageSizeParam", "limit");
        c.put("defaultPageSize", 5);
        c.put("itemsPath", "$.products");
        c.put("currentOffsetPath", "$.skip");
        c.put("totalPath", "$.total");
        c.put("textFields", List.of("title", "description", "tags", "meta.brand", "reviews[*].comment"));
        c.put("idField", "id");
        c.put("headersTemplate", Map.of("X-Api-Key", "{{API_KEY}}"));
        c.put("requiresAuth", true);
        c.put("provider", "acme");
        c.put("ifNoneMatchHeader", true);
        return c;
    }

    static Map<String, Object> ordersConfig() {
        return new LinkedHashMap<>(Map.of("baseUrl", API.baseUrl() + "/orders", "cursorParam", "cursor",
                "pageSizeParam", "page_size", "defaultPageSize", 5, "itemsPath", "$.data[*]",
                "nextCursorPath", "$.meta.next_cursor", "textFields", List.of("orderId", "customer.name", "note"),
                "idField", "orderId", "allowedRolesOverride", List.of("sales", "support")));
    }

    static Map<String, Object> articlesConfig() {
        return new LinkedHashMap<>(Map.of("baseUrl", API.baseUrl() + "/articles", "cursorStyle", "page",
                "cursorParam", "page", "pageSizeParam", "per_page", "defaultPageSize", 4, "itemsPath", "$.results",
                "totalPagesPath", "$.total_pages", "textFields", List.of("headline", "body"), "idField", "slug"));
    }

    static Map<String, Object> eventsConfig() {
        return new LinkedHashMap<>(Map.of("baseUrl", API.baseUrl() + "/events", "cursorStyle", "link",
                "itemsPath", "$.events", "textFields", List.of("type", "summary"), "idField", "id"));
    }

    // ---- the backoffice API -----------------------------------------------------------------------------------

    HttpResponse<String> backoffice(String method, String path, Object body, String token, String role)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (role != null) {
            b.header("X-Ragsync-Role", role);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> admin(String method, String path, Object body) throws IOException, InterruptedException {
        return backoffice(method, path, body, ADMIN_TOKEN, "platform-admin");
    }

    static Map<String, Object> json(HttpResponse<String> response) throws IOException {
        return JSON.readValue(response.body(), new TypeReference<>() { });
    }

    long createSource(String title, Map<String, Object> config) throws Exception {
        return createSource(title, config, null);
    }

    long createSource(String title, Map<String, Object> config, String schedule) throws Exception {
        return createSource(title, config, schedule, Map.of());
    }

    /** With more fields of the create request, e.g. backofficeOnly or enabled. */
    long createSource(String title, Map<String, Object> config, String schedule, Map<String, Object> more) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenantId", "tenant-a");
        body.put("title", title);
        body.put("config", config);
        body.put("schedule", schedule);
        body.putAll(more);
        HttpResponse<String> created = admin("POST", "/api/backoffice/rest-sources", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return ((Number) json(created).get("id")).longValue();
    }

    Map<String, Object> batch(long sourceId) throws Exception {
        HttpResponse<String> response = admin("POST", "/api/backoffice/rest-batch", Map.of("sourceId", sourceId));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    /** Clicks Sync until the source is done (at most maxBatches); returns every answer. */
    List<Map<String, Object>> pullUntilDone(long sourceId, int maxBatches) throws Exception {
        List<Map<String, Object>> answers = new ArrayList<>();
        for (int i = 0; i < maxBatches; i++) {
            Map<String, Object> answer = batch(sourceId);
            answers.add(answer);
            assertThat(answer.get("ok")).as("batch %s: %s", i + 1, answer).isEqualTo(true);
            if (Boolean.TRUE.equals(answer.get("done"))) {
                return answers;
            }
        }
        throw new AssertionError("source " + sourceId + " not done after " + maxBatches + " batches: " + answers);
    }

    Map<String, Object> cursor(long sourceId) {
        return jdbc.queryForMap("SELECT * FROM kb_rest_cursors WHERE source_id = ?", sourceId);
    }

    int chunks(long sourceId) {
        return jdbc.queryForObject("SELECT count(*) FROM kb_rest_chunks WHERE source_id = ?", Integer.class, sourceId);
    }

    /** itemId → number of chunk rows holding it. */
    Map<String, Integer> chunksPerItem(long sourceId) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        jdbc.queryForList("SELECT metadata->>'itemId' AS item, count(*) AS n FROM kb_rest_chunks WHERE source_id = ?"
                + " GROUP BY 1 ORDER BY 1", sourceId).forEach(r -> counts.put((String) r.get("item"), ((Number) r.get("n")).intValue()));
        return counts;
    }
}
