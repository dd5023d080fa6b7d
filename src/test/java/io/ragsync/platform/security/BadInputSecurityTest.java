package io.ragsync.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.support.HubTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear 4xx in the API family's JSON shape, never a 500 or an empty answer. */
class BadInputSecurityTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void invalidUtf8AndNulCharactersInPushedContentAre400() throws Exception {
        byte[] invalid = "{\"chatbot_id\":3,\"content\":\"caf\u00e9\",\"metadata\":{\"filename\":\"c.txt\"}}".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> badBytes = push("/api/internal/document/71/embed", invalid);
        assertPushError(badBytes, 400);
        assertThat(badBytes.body()).contains("UTF-8");

        HttpResponse<String> nul = push("/api/internal/document/72/embed",
                "{\"chatbot_id\":3,\"content\":\"a\\u0000b\",\"metadata\":{\"filename\":\"n.txt\"}}".getBytes(StandardCharsets.UTF_8));
        assertPushError(nul, 400);
        assertThat(JSON.readTree(nul.body()).get("field").asText()).isEqualTo("content");
    }

    @Test
    void wrongTypesAndEmptyBodiesOfTheJsonApiAre400() throws Exception {
        HttpResponse<String> arrayStatus = httpPost("/api/jobs/requeue", "{\"status\":[\"failed\"]}");
        assertThat(arrayStatus.statusCode()).as(arrayStatus.body()).isEqualTo(400);
        assertThat(JSON.readTree(arrayStatus.body()).get("message").asText()).contains("status");

        HttpResponse<String> textId = httpPost("/api/jobs/requeue", "{\"documentId\":\"7; DROP TABLE x\"}");
        assertThat(textId.statusCode()).as(textId.body()).isEqualTo(400);

        HttpResponse<String> empty = httpPost("/api/retrieval", "");
        assertThat(empty.statusCode()).as(empty.body()).isEqualTo(400);
        assertThat(JSON.readTree(empty.body()).get("error").asText()).isEqualTo("bad_request");

        HttpResponse<String> plain = httpCall("POST", "/api/retrieval", "{}", "Content-Type", "text/plain");
        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(plain.body()).get("error").asText()).isEqualTo("unsupported_media_type");
    }

    private HttpResponse<String> push(String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").header("X-Odoo-API-Key", PUSH_API_KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertPushError(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asText()).isEqualTo("error");
        assertThat(body.get("http_status").asInt()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.");
    }
}
