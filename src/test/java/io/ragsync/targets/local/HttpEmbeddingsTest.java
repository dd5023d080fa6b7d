package io.ragsync.targets.local;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.platform.RetryAfter;
import io.ragsync.support.EmbeddingApiStub;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** langchain4j's OpenAI-compatible model against the embeddings stub: what is sent, what is read, how failures are classified. */
class HttpEmbeddingsTest {

    static final EmbeddingApiStub API = new EmbeddingApiStub();

    private final HttpEmbeddings http = embeddings(EmbeddingApiStub.KEY, EmbeddingApiStub.DIMENSION);
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    private static HttpEmbeddings embeddings(String apiKey, int dimension) {
        return embeddings(apiKey, dimension, DataSize.ofMegabytes(16));
    }

    private static HttpEmbeddings embeddings(String apiKey, int dimension, DataSize maxAnswerSize) {
        return new HttpEmbeddings(new LocalIndexing.EmbeddingSettings("http", dimension, 32,
                new LocalIndexing.EmbeddingSettings.Http(API.baseUrl(), EmbeddingApiStub.MODEL, apiKey, 5000)),
                maxAnswerSize);
    }

    @BeforeEach
    void reset() {
        API.reset();
    }

    @AfterAll
    static void stop() {
        API.wireMock().stop();
    }

    @Test
    void textsAreSentWithModelAndKeyAndAnsweredInOrder() {
        List<float[]> vectors = http.embed(List.of("a", "b"), exchange);
        assertThat(vectors.get(0)).containsExactly(EmbeddingApiStub.vector("a"));
        assertThat(vectors.get(1)).containsExactly(EmbeddingApiStub.vector("b"));
        assertThat(API.requests()).containsExactly(List.of("a", "b"));
        assertThat(http.embed(List.of(), exchange)).isEmpty();
        assertThat(API.requests()).hasSize(1);
    }

    @Test
    void anAnswerLargerThanTheLimitFailsTheBatchForGood() {
        HttpEmbeddings limited = embeddings(EmbeddingApiStub.KEY, EmbeddingApiStub.DIMENSION, DataSize.ofBytes(100));
        assertThatThrownBy(() -> limited.embed(List.of("a", "b"), exchange)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("larger than 100 bytes (app.targets.max-answer-size)");
        assertThat(embeddings(EmbeddingApiStub.KEY, EmbeddingApiStub.DIMENSION, DataSize.ofKilobytes(64))
                .embed(List.of("a", "b"), exchange)).hasSize(2);
    }

    @Test
    void withoutAKeyNoAuthorizationIsSent() {
        HttpEmbeddings keyless = embeddings(" ", EmbeddingApiStub.DIMENSION);
        assertThatThrownBy(() -> keyless.embed(List.of("a"), exchange)).isInstanceOf(PermanentSyncException.class);
        assertThat(API.wireMock().getAllServeEvents().get(0).getRequest().containsHeader("Authorization")).isFalse();
    }

    @Test
    void transientAnswersCarryTheServersDelayForTheRedelivery() {
        API.failNext(1, 503, "3");
        assertThatThrownBy(() -> http.embed(List.of("a"), exchange)).isInstanceOf(EmbeddingProviderUnavailableException.class)
                .hasMessageContaining("HTTP 503");
        assertThat(exchange.getMessage().getHeader(Exchange.REDELIVERY_DELAY, Long.class)).isEqualTo(3000);
        API.failNext(1, 429, "60");
        assertThatThrownBy(() -> http.embed(List.of("a"), exchange)).isInstanceOf(EmbeddingProviderUnavailableException.class)
                .hasMessageContaining("rate limited");
        assertThat(exchange.getMessage().getHeader(Exchange.REDELIVERY_DELAY, Long.class)).as("capped").isEqualTo(5000);
        assertThat(http.embed(List.of("a"), exchange)).hasSize(1);
        assertThat(exchange.getMessage().getHeader(Exchange.REDELIVERY_DELAY)).isNull();
    }

    @Test
    void theLastRedeliverySaysHowManyRetriesWereUsed() {
        API.dropConnections();
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, 2);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_MAX_COUNTER, 2);
        assertThatThrownBy(() -> http.embed(List.of("a"), exchange)).isInstanceOf(EmbeddingProviderUnavailableException.class)
                .hasMessageContaining("embedding provider unreachable").hasMessageContaining("after 2 retries");
    }

    @Test
    void permanentAnswersAreNotRetried() {
        API.failAlways(401);
        assertThatThrownBy(() -> http.embed(List.of("a"), exchange)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("api-key").hasMessageNotContaining(EmbeddingApiStub.KEY);
        API.reset();
        API.failAlways(400);
        assertThatThrownBy(() -> http.embed(List.of("a"), exchange)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("HTTP 400");
        API.reset();
        HttpEmbeddings wrongDimension = embeddings(EmbeddingApiStub.KEY, 3);
        assertThatThrownBy(() -> wrongDimension.embed(List.of("a"), exchange)).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("8-dimensional");
    }

    @Test
    void anAnswerThatIsNotJsonIsTransient() {
        API.wireMock().stubFor(post(urlEqualTo("/v1/embeddings")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withBody("<html>proxy</html>")));
        assertThatThrownBy(() -> http.embed(List.of("a"), exchange)).isInstanceOf(EmbeddingProviderUnavailableException.class);
    }

    @Test
    void retryAfterIsReadAsSecondsOrADate() {
        assertThat(RetryAfter.seconds("12").orElse(0)).isEqualTo(12);
        assertThat(RetryAfter.seconds("soon").orElse(0)).isZero();
        assertThat(RetryAfter.seconds(null).orElse(0)).isZero();
        String inAMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(61));
        assertThat(RetryAfter.seconds(inAMinute).orElse(0)).isBetween(55L, 61L);
    }
}
