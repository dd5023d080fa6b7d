package io.ragsync.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.jobs.PermanentSyncException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Request bodies and answers of an OpenAI-compatible embeddings API ({@code POST {url}/embeddings}
 * {@code {model, input:[...]}}, as served by OpenAI, Ollama, vLLM, TEI...). Answers are classified: 2xx with one
 * vector of the configured dimension per input → the vectors in input order; 408/429/5xx → transient (retried
 * after {@link #retryDelay}, which honours the server's Retry-After); any other status or shape → permanent. The key is only ever
 * put in the Authorization header, never logged.
 */
@Component("httpEmbeddings")
public class HttpEmbeddings {

    private final ObjectMapper mapper;
    private final String model;
    private final String apiKey;
    private final int dimension;
    private final long maxRetryAfterMs;
    private final int maxRetries;
    private final long retryDelayMs;

    public HttpEmbeddings(ObjectMapper mapper,
                          @Value("${app.index.embedding.http.model:}") String model,
                          @Value("${app.index.embedding.http.api-key:}") String apiKey,
                          @Value("${app.index.embedding.dimension:384}") int dimension,
                          @Value("${app.index.embedding.http.max-retry-after-ms:60000}") long maxRetryAfterMs,
                          @Value("${app.index.embedding.http.max-retries:3}") int maxRetries,
                          @Value("${app.index.embedding.http.retry-delay-ms:1000}") long retryDelayMs) {
        this.mapper = mapper;
        this.model = model;
        this.apiKey = apiKey == null ? "" : apiKey.strip();
        this.dimension = dimension;
        this.maxRetryAfterMs = maxRetryAfterMs;
        this.maxRetries = maxRetries;
        this.retryDelayMs = retryDelayMs;
    }

    public String requestBody(List<String> texts) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("input", texts);
        return mapper.writeValueAsString(body);
    }

    /** How many texts one request embeds (the answer must carry as many vectors). */
    public int inputCount(List<String> texts) {
        return texts.size();
    }

    /** "Bearer key", or null without a key (Ollama, TEI and vLLM often run without one). */
    public String authorization() {
        return apiKey.isEmpty() ? null : "Bearer " + apiKey;
    }

    public List<float[]> read(Exchange exchange) throws Exception {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String body = exchange.getMessage().getBody(String.class);
        int expected = exchange.getProperty("embeddingInputCount", 0, Integer.class);
        String retryAfter = exchange.getMessage().getHeader("Retry-After", String.class);
        try {
            return read(status == null ? 0 : status, body, expected, retryAfter);
        } finally {
            exchange.getMessage().removeHeader("Retry-After");
        }
    }

    /**
     * After a transient failure of attempt {@code embeddingAttempt}: the delay before the next attempt (retry-delay-ms
     * doubled per attempt, at least the server's Retry-After, at most max-retry-after-ms), or, once max-retries
     * retries are used up, the failure itself.
     */
    public long retryDelay(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        int attempt = exchange.getProperty("embeddingAttempt", 0, Integer.class) + 1;
        exchange.setProperty("embeddingAttempt", attempt);
        if (attempt > maxRetries) {
            if (cause instanceof EmbeddingProviderUnavailableException e) {
                throw new EmbeddingProviderUnavailableException(e.getMessage() + " (after " + maxRetries
                        + " retries)", e.getRetryAfterSeconds());
            }
            throw new EmbeddingProviderUnavailableException("embedding provider unreachable: "
                    + (cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage())
                    + " (after " + maxRetries + " retries)", 0);
        }
        return delay(attempt, cause instanceof EmbeddingProviderUnavailableException e ? e.getRetryAfterSeconds() : 0);
    }

    long delay(int attempt, long retryAfterSeconds) {
        double exponential = retryDelayMs * Math.pow(2, attempt - 1);
        long wait = (long) Math.max(exponential, retryAfterSeconds * 1000.0);
        return Math.min(wait, maxRetryAfterMs);
    }

    List<float[]> read(int status, String body, int expected) throws Exception {
        return read(status, body, expected, null);
    }

    List<float[]> read(int status, String body, int expected, String retryAfter) throws Exception {
        if (status == 408 || status == 429 || status >= 500 || status == 0) {
            throw new EmbeddingProviderUnavailableException("embedding provider answered HTTP " + status
                    + (status == 429 ? " (rate limited)" : "") + snippet(body), seconds(retryAfter));
        }
        if (status == 401 || status == 403) {
            throw new PermanentSyncException("embedding provider rejected the request (HTTP " + status
                    + "): check app.index.embedding.http.api-key");
        }
        if (status < 200 || status >= 300) {
            throw new PermanentSyncException("embedding provider refused the request: HTTP " + status + snippet(body));
        }
        JsonNode root;
        try {
            root = mapper.readTree(body == null ? "" : body);
        } catch (Exception e) {
            throw new EmbeddingProviderUnavailableException("embedding provider answered something that is not JSON"
                    + snippet(body), 0);
        }
        JsonNode data = root == null ? null : root.get("data");
        if (data == null || !data.isArray() || data.size() != expected) {
            throw new PermanentSyncException("embedding provider answered " + (data == null ? "no data" : data.size()
                    + " embeddings") + " for " + expected + " inputs" + snippet(body));
        }
        float[][] ordered = new float[expected][];
        for (int i = 0; i < data.size(); i++) {
            JsonNode item = data.get(i);
            int index = item.has("index") ? item.get("index").asInt() : i;
            JsonNode vector = item.get("embedding");
            if (index < 0 || index >= expected || vector == null || !vector.isArray()) {
                throw new PermanentSyncException("embedding provider answered a malformed embedding at " + i);
            }
            if (vector.size() != dimension) {
                throw new PermanentSyncException("embedding provider answered " + vector.size()
                        + "-dimensional vectors, app.index.embedding.dimension is " + dimension);
            }
            float[] v = new float[vector.size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) vector.get(k).asDouble();
            }
            ordered[index] = v;
        }
        List<float[]> result = new ArrayList<>(expected);
        for (float[] v : ordered) {
            if (v == null) {
                throw new PermanentSyncException("embedding provider left out some inputs");
            }
            result.add(v);
        }
        return result;
    }

    static long seconds(String retryAfter) {
        if (retryAfter == null || retryAfter.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(retryAfter.trim()));
        } catch (NumberFormatException e) {
            try {
                java.time.ZonedDateTime at = java.time.ZonedDateTime.parse(retryAfter.trim(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, java.time.Duration.between(java.time.ZonedDateTime.now(), at).getSeconds());
            } catch (Exception ignored) {
                return 0;
            }
        }
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String s = body.strip().replaceAll("\\s+", " ");
        return ": " + (s.length() > 200 ? s.substring(0, 200) + "…" : s);
    }
}
