package io.ragsync.targets;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.ragsync.targets.lightrag.LightragHttpClientConfigurer;
import io.ragsync.targets.ragflow.RagflowHttpClientConfigurer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.util.unit.DataSize;

/** RAGFlow's and LightRAG's endpoints read no answer beyond app.targets.max-answer-size, a gzip one as it expands. */
class TargetAnswerLimitTest {

    static final WireMockServer SERVER = new WireMockServer(options().dynamicPort().gzipDisabled(false));

    @BeforeAll
    static void start() {
        SERVER.start();
        SERVER.stubFor(get(urlEqualTo("/exact")).willReturn(aResponse().withStatus(200).withBody("x".repeat(1024))));
        SERVER.stubFor(get(urlEqualTo("/over")).willReturn(aResponse().withStatus(200).withBody("x".repeat(1025))));
    }

    @AfterAll
    static void stop() {
        SERVER.stop();
    }

    static Stream<HttpClientConfigurer> clients() {
        DataSize limit = DataSize.ofKilobytes(1);
        return Stream.of(new RagflowHttpClientConfigurer(true, limit), new LightragHttpClientConfigurer(limit));
    }

    @ParameterizedTest
    @MethodSource("clients")
    void anAnswerUpToTheLimitIsReadAndALargerOneFailsItsCall(HttpClientConfigurer configurer) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("limits", configurer);
            camel.start();
            Exchange exact = call(camel, "/exact");
            assertThat(exact.getException()).isNull();
            assertThat(exact.getMessage().getBody(String.class)).hasSize(1024);
            Exchange over = call(camel, "/over");
            assertThat(causes(over.getException())).extracting(Throwable::getMessage)
                    .contains("the answer is larger than 1 KB (app.targets.max-answer-size)");
        }
    }

    private static Exchange call(DefaultCamelContext camel, String path) {
        return camel.createProducerTemplate().request(SERVER.baseUrl() + path
                + "?throwExceptionOnFailure=false&httpClientConfigurer=#limits",
                e -> e.getIn().setHeader(Exchange.HTTP_METHOD, "GET"));
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }
}
