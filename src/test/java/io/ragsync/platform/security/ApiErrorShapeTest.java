package io.ragsync.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.support.HubTestSupport;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Requests refused before any route runs (by Spring's request matching or by Tomcat itself) answer in their API
 * family's JSON error shape, like every other refusal: {error, message}, and the push API's own shape.
 */
class ApiErrorShapeTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTextPlainRequestGetsTheApisJson415() throws Exception {
        HttpResponse<String> api = httpCall("POST", "/api/retrieval", null, "Content-Type", "text/plain");
        assertThat(api.statusCode()).isEqualTo(415);
        assertApiShape(api, "unsupported_media_type");

        HttpResponse<String> push = httpCall("POST", "/api/internal/sync/retry", null, "Content-Type", "text/plain",
                "X-Odoo-API-Key", PUSH_API_KEY);
        assertThat(push.statusCode()).isEqualTo(415);
        assertPushShape(push, 415, "unsupported_media_type");
    }

    @Test
    void anEncodedSlashInThePathGetsTheApisJson400() throws Exception {
        HttpResponse<String> api = httpGet("/api/documents/1%2F2/sync-status");
        assertThat(api.statusCode()).isEqualTo(400);
        assertApiShape(api, "bad_request");

        HttpResponse<String> push = httpCall("GET", "/api/internal/jobs/1%2F2", null, "X-Odoo-API-Key", PUSH_API_KEY);
        assertThat(push.statusCode()).isEqualTo(400);
        assertPushShape(push, 400, "bad_request");
    }

    private static void assertApiShape(HttpResponse<String> response, String error) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(body.has("timestamp")).isFalse();
    }

    private static void assertPushShape(HttpResponse<String> response, int status, String error) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("error");
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("http_status").asInt()).isEqualTo(status);
        assertThat(body.path("message").asText()).isNotBlank();
    }
}
