package io.ragsync.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.sun.net.httpserver.HttpServer;
import io.ragsync.sources.push.LinkFetchGuard;
import io.ragsync.support.HubTestSupport;
import io.ragsync.support.TestFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Rule 16 end to end: text that looks like Camel expressions ("#class:...", "${...}", "{{...}}", "#bean:...")
 * travels through every entry as data. Nothing is instantiated, resolved or looked up; it arrives literally.
 */
class OutsideDataIsDataTest extends HubTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path PWNED = TestFiles.tempDir("ragsync-pwned");

    @Autowired
    LinkFetchGuard linkFetchGuard;

    static List<String> payloads(String entry) {
        return List.of("#class:java.io.FileOutputStream('" + PWNED.resolve("pwned-" + entry) + "')",
                "${bean:dataSource} ${exchange} ${sys.user.home} ${body.length()}",
                "{{app.push.api-key}}",
                "#bean:dataSource");
    }

    @AfterEach
    void nothingWasCreated() throws IOException {
        try (Stream<Path> files = Files.list(PWNED)) {
            assertThat(files.toList()).as("files created by evaluated content").isEmpty();
        }
    }

    @Test
    void pushedDocumentContentIsStoredLiterally() throws Exception {
        int id = 900;
        for (String payload : payloads("document")) {
            HttpResponse<String> response = push("/api/internal/document/" + id + "/embed", JSON.writeValueAsString(
                    Map.of("chatbot_id", 91, "content", payload, "metadata", Map.of("filename", payload))));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(contentOf("document", String.valueOf(id++))).isEqualTo(payload);
        }
    }

    @Test
    void fetchedLinkTextIsStoredLiterally() throws Exception {
        List<String> pages = payloads("link");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] page = pages.get(Integer.parseInt(exchange.getRequestURI().getPath().substring(1)))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        server.start();
        linkFetchGuard.setAllowPrivate(true);
        try {
            for (int i = 0; i < pages.size(); i++) {
                String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/" + i;
                HttpResponse<String> response = push("/api/internal/link/" + (910 + i) + "/embed",
                        JSON.writeValueAsString(Map.of("chatbot_id", 92, "url", url)));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(contentOf("link", String.valueOf(910 + i))).isEqualTo(pages.get(i));
            }
        } finally {
            linkFetchGuard.setAllowPrivate(false);
            server.stop(0);
        }
    }

    @Test
    void dropFileNamesAndContentsArriveLiterally() throws Exception {
        // a file name cannot hold '/': the name's #class: payload would write relative to the working directory
        Path relative = Path.of("pwned-drop-name");
        List<String> names = List.of("#class:java.io.FileOutputStream('" + relative + "').txt",
                "${bean:dataSource} ${sys.user.home}.txt", "{{app.push.api-key}}.txt", "#bean:dataSource.txt");
        List<String> contents = payloads("drop");
        Path folder = storageRoot().resolve("inbox").resolve("Payloads");
        Files.createDirectories(folder);
        for (int i = 0; i < names.size(); i++) {
            Path file = folder.resolve(names.get(i));
            Files.writeString(file, contents.get(i), StandardCharsets.UTF_8);
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().minusSeconds(5)));
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            eventually(() -> jdbc.queryForObject("SELECT count(*) FROM drop_file WHERE relative_path = ?"
                    + " AND document_id IS NOT NULL", Integer.class, "Payloads/" + name) == 1);
            long doc = jdbc.queryForObject("SELECT document_id FROM drop_file WHERE relative_path = ?", Long.class,
                    "Payloads/" + name);
            awaitJob(doc, "indexed");
            assertThat(jdbc.queryForObject("SELECT title FROM document WHERE id = ?", String.class, doc)).isEqualTo(name);
            assertThat(RAGFLOW.content((String) documentSync(doc).get("ragflow_document_id"))).isEqualTo(contents.get(i));
        }
        assertThat(relative).doesNotExist();
    }

    @Test
    void ragflowAnswerMessageIsReportedLiterally() throws Exception {
        int id = 920;
        for (String payload : payloads("ragflow")) {
            StubMapping refusal = RAGFLOW.wireMock().stubFor(WireMock.post(WireMock.urlPathMatching(
                    "/api/v1/datasets/[^/]+/documents")).atPriority(1).willReturn(WireMock.okJson(
                    JSON.writeValueAsString(Map.of("code", 101, "message", payload)))));
            try {
                HttpResponse<String> response = push("/api/internal/document/" + id + "/embed", JSON.writeValueAsString(
                        Map.of("chatbot_id", 93, "content", "text " + id, "metadata", Map.of("filename", "t.txt"))));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
                assertThat(json(response)).containsEntry("sync_status", "error");
                assertThat((String) json(response).get("error")).contains(payload);
                long doc = jdbc.queryForObject("SELECT document_id FROM push_source WHERE source_id = ?", Long.class,
                        String.valueOf(id++));
                assertThat(latestJob(doc)).containsEntry("status", "failed");
                assertThat((String) latestJob(doc).get("last_error")).contains(payload);
            } finally {
                RAGFLOW.wireMock().removeStub(refusal);
            }
        }
    }

    @Test
    void camelHeadersAndQueryParametersOfARequestSteerNothing() throws Exception {
        long doc = documentWithFile(knowledgeBase("Headers"), "h.txt", "headers/h.txt", "header test");
        awaitJob(doc, "indexed");
        String ragflow = RAGFLOW.baseUrl() + "/api/v1/datasets";
        String[] steering = {"CamelHttpUri", ragflow, "camelhttpuri", ragflow, "CAMELHTTPPATH", "/datasets",
                "CamelBeanMethodName", "toString", "CamelSqlQuery", "DELETE FROM document",
                "camelsqlquery", "DELETE FROM document", "CamelFileName", "../../pwned-header"};
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < steering.length; i += 2) {
            query.append(i == 0 ? "?" : "&").append(steering[i]).append('=')
                    .append(java.net.URLEncoder.encode(steering[i + 1], StandardCharsets.UTF_8));
        }
        long documents = jdbc.queryForObject("SELECT count(*) FROM document", Long.class);

        HttpResponse<String> plain = httpGet("/api/documents/" + doc + "/sync-status");
        int ragflowRequests = RAGFLOW.requestCount();
        HttpResponse<String> withHeaders = httpCall("GET", "/api/documents/" + doc + "/sync-status", null, steering);
        HttpResponse<String> withQuery = httpGet("/api/documents/" + doc + "/sync-status" + query);
        assertThat(withHeaders.statusCode()).isEqualTo(plain.statusCode()).isEqualTo(200);
        assertThat(withHeaders.body()).isEqualTo(plain.body());
        assertThat(withQuery.statusCode()).isEqualTo(200);
        assertThat(withQuery.body()).isEqualTo(plain.body());
        assertThat(RAGFLOW.requestCount()).as("requests to RAGFlow").isEqualTo(ragflowRequests);

        long datasetLists = RAGFLOW.countRequests("GET", "/api/v1/datasets");
        String[] steeringJson = java.util.Arrays.copyOf(steering, steering.length + 2);
        steeringJson[steering.length] = "Content-Type";
        steeringJson[steering.length + 1] = "application/json";
        HttpResponse<String> sync = httpCall("POST", "/api/documents/" + doc + "/sync" + query, "", steeringJson);
        assertThat(sync.statusCode()).as(sync.body()).isEqualTo(202);
        awaitJob(doc, "indexed");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document", Long.class)).isEqualTo(documents);
        assertThat(RAGFLOW.countRequests("GET", "/api/v1/datasets")).as("no request to the injected URI")
                .isEqualTo(datasetLists);
        assertThat(storageRoot().getParent().resolve("pwned-header")).doesNotExist();
    }

    String contentOf(String sourceType, String sourceId) {
        long doc = jdbc.queryForObject("SELECT document_id FROM push_source WHERE source_type = ? AND source_id = ?",
                Long.class, sourceType, sourceId);
        return RAGFLOW.content((String) documentSync(doc).get("ragflow_document_id"));
    }

    HttpResponse<String> push(String path, String body) throws IOException, InterruptedException {
        return httpCall("POST", path, body, "Content-Type", "application/json", "X-Odoo-API-Key", PUSH_API_KEY);
    }

    static Map<String, Object> json(HttpResponse<String> response) throws IOException {
        return JSON.readValue(response.body(), new TypeReference<>() { });
    }
}
