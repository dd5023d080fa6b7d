package io.ragsync.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ragsync.support.RagflowStub;
import java.net.http.HttpResponse;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;

/**
 * Actuator health: RAGFlow reachability with the configured key (UP, CONFIG_ERROR on a rejected key in both of
 * RAGFlow's dialects, DOWN when it fails), the storage root, and the Kubernetes groups. The key never shows.
 */
class OpsHealthTest extends OpsTestSupport {

    @Autowired
    private ApplicationContext context;

    @Autowired
    private CamelContext camel;

    @Test
    void ragflowIsUpWhenTheKeyIsAcceptedWithDetailsOnlyForTheOperator() throws Exception {
        eventually(() -> "UP".equals(component(anonymous, "ragflow").path("status").asText()));
        JsonNode health = health(operator);
        assertThat(health.path("status").asText()).isEqualTo("UP");
        JsonNode ragflow = health.at("/components/ragflow");
        assertThat(ragflow.at("/details/baseUrl").asText()).isEqualTo(RAGFLOW.baseUrl());
        assertThat(ragflow.at("/details/apiKey").asText()).endsWith(RagflowStub.API_KEY.substring(RagflowStub.API_KEY.length() - 4));
        assertThat(health.at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/storage/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/storage/details/root").asText()).isEqualTo(STORAGE.toString());
        // anonymous callers see statuses, not details
        assertThat(health(anonymous).at("/components/ragflow/details").isMissingNode()).isTrue();
        // the probe is an authenticated call with the configured key
        assertThat(RAGFLOW.wireMock().getAllServeEvents()).anySatisfy(e -> {
            assertThat(e.getRequest().getUrl()).startsWith("/api/v1/datasets?page=1&page_size=1");
            assertThat(e.getRequest().getHeader("Authorization")).isEqualTo("Bearer " + RagflowStub.API_KEY);
        });
    }

    @Test
    void aRejectedKeyIsConfigErrorNotDownAndReadinessStaysUp() throws Exception {
        RAGFLOW.acceptKey("ragflow-someOtherKey");
        // answers are cached for app.ops.health.cache-ms: wait for this key's answer
        eventually(() -> component(operator, "ragflow").at("/details/error").asText().contains("HTTP 401"));

        HttpResponse<String> response = operator.get("/actuator/health");
        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode health = mapper.readTree(response.body());
        assertThat(health.path("status").asText()).isEqualTo("CONFIG_ERROR");
        assertThat(health.at("/components/ragflow/details/error").asText()).contains("rejected the API key").contains("401");
        assertThat(response.body()).doesNotContain(RagflowStub.API_KEY);
        // RAGFlow is not part of readiness or liveness: the hub keeps queueing and answering
        assertThat(anonymous.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/liveness").statusCode()).isEqualTo(200);

        RAGFLOW.acceptKey(RagflowStub.API_KEY);
        eventually(() -> "UP".equals(component(anonymous, "ragflow").path("status").asText()));
    }

    @Test
    void legacyCode109IsConfigErrorToo() throws Exception {
        RAGFLOW.acceptKey("ragflow-someOtherKey");
        RAGFLOW.legacyAuth(true);
        eventually(() -> component(operator, "ragflow").at("/details/error").asText().contains("code 109"));
        assertThat(component(anonymous, "ragflow").path("status").asText()).isEqualTo("CONFIG_ERROR");
    }

    @Test
    void aFailingRagflowIsDown() throws Exception {
        RAGFLOW.wireMock().stubFor(get(urlPathEqualTo("/api/v1/datasets")).atPriority(1)
                .willReturn(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>")));
        eventually(() -> component(operator, "ragflow").at("/details/error").asText().contains("502"));
        assertThat(component(anonymous, "ragflow").path("status").asText()).isEqualTo("DOWN");
        assertThat(anonymous.get("/actuator/health").statusCode()).isEqualTo(503);
    }

    /** A poller that has not run yet is not a fault: a hub that serves reads UP, not 503, right after it starts. */
    @Test
    void aConsumerThatHasNotYetPolledLeavesTheHubUp() throws Exception {
        eventually(() -> "UP".equals(component(anonymous, "ragflow").path("status").asText()));
        // a new consumer polls first after its initial delay (a second), as at start-up
        camel.getRouteController().stopRoute("file-drop");
        camel.getRouteController().startRoute("file-drop");
        HttpResponse<String> response = anonymous.get("/actuator/health");
        assertThat(mapper.readTree(response.body()).at("/components/camelHealth/status").asText()).isEqualTo("UP");
        assertThat(response.statusCode()).isEqualTo(200);
    }

    /** Kubernetes and load balancers read the probes' HTTP status, not their body. */
    @Test
    void theProbesAnswer503WhileTheHubIsNotReadyOrBroken() throws Exception {
        assertThat(anonymous.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        try {
            // as while the hub starts (the web server answers before the routes run) and while it stops
            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
            HttpResponse<String> readiness = anonymous.get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(mapper.readTree(readiness.body()).path("status").asText()).isEqualTo("OUT_OF_SERVICE");
            assertThat(anonymous.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        } finally {
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
        }
        try {
            AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
            HttpResponse<String> liveness = anonymous.get("/actuator/health/liveness");
            assertThat(liveness.statusCode()).isEqualTo(503);
            assertThat(mapper.readTree(liveness.body()).path("status").asText()).isEqualTo("DOWN");
        } finally {
            AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
        }
        assertThat(anonymous.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }

    private JsonNode health(OpsHttp client) throws Exception {
        return mapper.readTree(client.get("/actuator/health").body());
    }

    private JsonNode component(OpsHttp client, String name) throws Exception {
        return health(client).at("/components/" + name);
    }
}
