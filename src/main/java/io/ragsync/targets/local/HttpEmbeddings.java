package io.ragsync.targets.local;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.platform.RetryAfter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.commons.io.FileUtils;
import org.apache.commons.io.input.BoundedInputStream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/** langchain4j's OpenAI-compatible model, retries off as Camel redelivers; the key goes in Authorization only. */
@Component("httpEmbeddings")
public class HttpEmbeddings {

    private final EmbeddingModel model;
    private final int dimension;
    private final long maxRetryAfterMs;

    public HttpEmbeddings(LocalIndexing.EmbeddingSettings settings,
                          @Value("${app.targets.max-answer-size:16MB}") DataSize maxAnswerSize) {
        LocalIndexing.EmbeddingSettings.Http http = settings.http();
        String apiKey = http.apiKey();
        this.model = OpenAiEmbeddingModel.builder().baseUrl(http.url()).modelName(http.model()).maxRetries(0)
                .apiKey(apiKey == null || apiKey.isBlank() ? null : apiKey.strip()) // no key: no Authorization header
                .httpClientBuilder(new AnswerClassifyingClient(maxAnswerSize.toBytes())).build();
        this.dimension = settings.dimension();
        this.maxRetryAfterMs = http.maxRetryAfterMs();
    }

    /** One vector per text, in order; the last redelivery's failure says how many retries were used. */
    public List<float[]> embed(List<String> texts, Exchange exchange) {
        Message in = exchange.getMessage();
        in.removeHeader(Exchange.REDELIVERY_DELAY);
        List<Embedding> embeddings;
        try {
            embeddings = texts.isEmpty() ? List.of()
                    : model.embedAll(texts.stream().map(TextSegment::from).toList()).content();
        } catch (PermanentSyncException e) {
            throw e;
        } catch (RuntimeException e) {
            EmbeddingProviderUnavailableException failure = e instanceof EmbeddingProviderUnavailableException u ? u
                    : new EmbeddingProviderUnavailableException("embedding provider unreachable: "
                            + e.getClass().getSimpleName() + ": " + e.getMessage(), 0);
            Integer retries = in.getHeader(Exchange.REDELIVERY_MAX_COUNTER, Integer.class);
            if (retries != null && retries.equals(in.getHeader(Exchange.REDELIVERY_COUNTER, Integer.class))) {
                failure = new EmbeddingProviderUnavailableException(failure.getMessage() + " (after " + retries
                        + " retries)", 0);
            } else if (failure.getRetryAfterSeconds() > 0) {
                in.setHeader(Exchange.REDELIVERY_DELAY, Math.min(failure.getRetryAfterSeconds() * 1000L,
                        maxRetryAfterMs));
            }
            throw failure;
        }
        if (embeddings.size() != texts.size()) {
            throw new PermanentSyncException("embedding provider answered " + embeddings.size() + " embeddings for "
                    + texts.size() + " inputs");
        }
        for (Embedding e : embeddings) {
            if (e.dimension() != dimension) {
                throw new PermanentSyncException("embedding provider answered " + e.dimension()
                        + "-dimensional vectors, app.index.embedding.dimension is " + dimension);
            }
        }
        return embeddings.stream().map(Embedding::vector).toList();
    }

    /** Throws the failure the embedding-retries policy kept after its last redelivery, if any. */
    public void rethrow(Exchange exchange) throws Exception {
        Exception failure = (Exception) exchange.removeVariable("embeddingFailure");
        if (failure != null) {
            throw failure;
        }
    }

    /** The failure an answer with this status stands for. */
    static RuntimeException failure(int status, String body, String retryAfter) {
        if (status == 408 || status == 429 || status >= 500) {
            return new EmbeddingProviderUnavailableException("embedding provider answered HTTP " + status
                    + (status == 429 ? " (rate limited)" : "") + snippet(body),
                    RetryAfter.seconds(retryAfter).orElse(0));
        }
        if (status == 401 || status == 403) {
            return new PermanentSyncException("embedding provider rejected the request (HTTP " + status
                    + "): check app.index.embedding.http.api-key");
        }
        return new PermanentSyncException("embedding provider refused the request: HTTP " + status + snippet(body));
    }

    private static String snippet(String body) {
        String s = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return s.isEmpty() ? "" : ": " + (s.length() > 200 ? s.substring(0, 200) + "…" : s);
    }

    /** langchain4j's HTTP clients drop a failed answer's headers (Retry-After): this one classifies the answer. */
    static final class AnswerClassifyingClient implements HttpClient, HttpClientBuilder {

        private final long maxAnswerBytes;
        private Duration connectTimeout = Duration.ofSeconds(15);
        private Duration readTimeout = Duration.ofSeconds(60);
        private java.net.http.HttpClient jdk;

        AnswerClassifyingClient(long maxAnswerBytes) {
            this.maxAnswerBytes = maxAnswerBytes;
        }

        @Override
        public SuccessfulHttpResponse execute(HttpRequest request) {
            java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
                    .timeout(readTimeout).method(request.method().name(), BodyPublishers.ofString(request.body()));
            request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
            HttpResponse<InputStream> answer;
            String body;
            try {
                answer = jdk.send(builder.build(), BodyHandlers.ofInputStream());
                body = readLimited(answer.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (answer.statusCode() / 100 != 2) {
                String retryAfter = answer.headers().firstValue("Retry-After").orElse("");
                throw failure(answer.statusCode(), body, retryAfter);
            }
            return SuccessfulHttpResponse.builder().statusCode(answer.statusCode()).headers(answer.headers().map())
                    .body(body).build();
        }

        /** The answer as text, refused once it grows past app.targets.max-answer-size. */
        private String readLimited(InputStream body) throws IOException {
            try (InputStream in = BoundedInputStream.builder().setInputStream(body).setMaxCount(maxAnswerBytes + 1)
                    .setOnMaxCount((max, count) -> {
                        throw new PermanentSyncException("the embedding provider's answer is larger than "
                                + FileUtils.byteCountToDisplaySize(maxAnswerBytes) + " (app.targets.max-answer-size)");
                    }).get()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }

        @Override
        public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
            throw new UnsupportedOperationException("embeddings do not stream");
        }

        // the builder half: OpenAiEmbeddingModel sets the two timeouts, then builds
        @Override public Duration connectTimeout() { return connectTimeout; }
        @Override public Duration readTimeout() { return readTimeout; }
        @Override public AnswerClassifyingClient connectTimeout(Duration t) { connectTimeout = t; return this; }
        @Override public AnswerClassifyingClient readTimeout(Duration t) { readTimeout = t; return this; }

        @Override
        public HttpClient build() {
            jdk = java.net.http.HttpClient.newBuilder().connectTimeout(connectTimeout).build();
            return this;
        }
    }
}
