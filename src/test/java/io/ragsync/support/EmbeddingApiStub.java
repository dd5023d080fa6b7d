package io.ragsync.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An OpenAI-compatible embeddings API ({@code POST /v1/embeddings} {@code {model, input:[...]}} →
 * {@code {object:"list", data:[{object:"embedding", index, embedding:[...]}], model, usage}}) answering a
 * deterministic vector per text (derived from its SHA-256), in input order, as OpenAI, Ollama, vLLM and TEI answer.
 * Missing model or input is HTTP 400, a wrong key HTTP 401, both with OpenAI's error shape; {@link #failWith} adds
 * OpenAI's transient answers (429 with Retry-After, 503) in front.
 */
public final class EmbeddingApiStub {

    public static final String KEY = "sk-test-embeddings-0123456789";
    public static final String MODEL = "test-embed-8";
    public static final int DIMENSION = 8;

    private final WireMockServer server;
    private final ObjectMapper mapper = new ObjectMapper();

    public EmbeddingApiStub() {
        server = new WireMockServer(options().dynamicPort().extensions(new Behaviour()));
        server.start();
        install();
    }

    public String baseUrl() {
        return "http://localhost:" + server.port() + "/v1";
    }

    public WireMockServer wireMock() {
        return server;
    }

    public void reset() {
        server.resetAll();
        install();
    }

    private void install() {
        server.stubFor(post(urlEqualTo("/v1/embeddings")).atPriority(10)
                .willReturn(aResponse().withTransformers(Behaviour.NAME)));
    }

    /**
     * The next {@code times} requests answer {@code status} with OpenAI's error body (and Retry-After when given),
     * the ones after as usual.
     */
    public void failNext(int times, int status, String retryAfter) {
        ResponseDefinitionBuilder answer = aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(error(status));
        if (retryAfter != null) {
            answer = answer.withHeader("Retry-After", retryAfter);
        }
        String scenario = "faults-" + UUID.randomUUID();
        for (int i = 0; i < times; i++) {
            server.stubFor(post(urlEqualTo("/v1/embeddings")).atPriority(1).inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "failed-" + i).willSetStateTo("failed-" + (i + 1))
                    .willReturn(answer));
        }
    }

    /** Every request answers {@code status} with OpenAI's error body until {@link #reset}. */
    public void failAlways(int status) {
        server.stubFor(post(urlEqualTo("/v1/embeddings")).atPriority(1).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(error(status))));
    }

    /** Every connection is reset until {@link #reset}: the provider is unreachable. */
    public void dropConnections() {
        server.stubFor(post(urlEqualTo("/v1/embeddings")).atPriority(1)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    }

    private String error(int status) {
        String message = switch (status) {
            case 401 -> "Incorrect API key provided";
            case 429 -> "Rate limit reached for requests";
            case 503 -> "The server is overloaded or not ready yet.";
            default -> "HTTP " + status;
        };
        String type = status == 401 || status < 500 && status != 429 ? "invalid_request_error"
                : status == 429 ? "requests" : "server_error";
        try {
            return mapper.writeValueAsString(Map.of("error", Map.of("message", message, "type", type)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The inputs of every embeddings request received, in order. */
    public List<List<String>> requests() {
        List<List<String>> out = new ArrayList<>();
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        java.util.Collections.reverse(events);
        for (ServeEvent e : events) {
            try {
                JsonNode body = mapper.readTree(e.getRequest().getBodyAsString());
                List<String> inputs = new ArrayList<>();
                body.get("input").forEach(n -> inputs.add(n.asText()));
                out.add(inputs);
            } catch (Exception ex) {
                out.add(List.of());
            }
        }
        return out;
    }

    /** The vector the stub answers for a text. */
    public static float[] vector(String text) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            float[] v = new float[DIMENSION];
            for (int i = 0; i < DIMENSION; i++) {
                v[i] = (h[i] & 0xff) / 255f - 0.5f;
            }
            return v;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private final class Behaviour extends StubBehaviour {
        static final String NAME = "openai-embeddings";

        Behaviour() {
            super(NAME);
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            try {
                String auth = event.getRequest().getHeader("Authorization");
                if (!("Bearer " + KEY).equals(auth)) {
                    return json(401, Map.of("error", Map.of("message", "Incorrect API key provided",
                            "type", "invalid_request_error")));
                }
                JsonNode body = mapper.readTree(event.getRequest().getBodyAsString());
                if (body == null || !body.hasNonNull("model") || !body.has("input") || !body.get("input").isArray()) {
                    return json(400, Map.of("error", Map.of("message", "'model' and 'input' are required")));
                }
                List<Map<String, Object>> data = new ArrayList<>();
                int i = 0;
                for (JsonNode input : body.get("input")) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("object", "embedding");
                    item.put("index", i++);
                    List<Float> values = new ArrayList<>();
                    for (float f : vector(input.asText())) {
                        values.add(f);
                    }
                    item.put("embedding", values);
                    data.add(item);
                }
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("object", "list");
                answer.put("data", data);
                answer.put("model", body.get("model").asText());
                answer.put("usage", Map.of("prompt_tokens", 10, "total_tokens", 10));
                return json(200, answer);
            } catch (Exception e) {
                return json(400, Map.of("error", Map.of("message", "malformed JSON")));
            }
        }

        private ResponseDefinition json(int status, Object body) {
            try {
                return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                        .withHeader("Content-Type", "application/json").withBody(mapper.writeValueAsString(body)).build();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
