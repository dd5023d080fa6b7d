package io.ragsync.targets;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ragsync.platform.HttpHeaderLimits;
import io.ragsync.targets.lightrag.LightragHttpClientConfigurer;
import io.ragsync.targets.ragflow.RagflowHttpClientConfigurer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.util.unit.DataSize;

/**
 * RAGFlow's and LightRAG's endpoints read no answer beyond app.targets.max-answer-size, a gzip one as it expands,
 * and leave one without end at the limit; through the hub's http component, no header line beyond its bound.
 */
class TargetAnswerLimitTest {

    static HttpServer server;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/long-header")) {
                    exchange.getResponseHeaders().add("X-Padding", "x".repeat(HttpHeaderLimits.MAX_LINE_LENGTH * 2));
                    exchange.sendResponseHeaders(200, -1);
                    return;
                }
                exchange.getResponseHeaders().add("Content-Encoding", "gzip");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream body = new GZIPOutputStream(exchange.getResponseBody())) {
                    if (path.equals("/endless")) {
                        byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                        while (true) {
                            body.write(chunk);
                            body.flush();
                        }
                    }
                    body.write("x".repeat(path.equals("/exact") ? 1024 : 1025).getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException clientGone) {
                // the endless answer ends when the client drops the connection
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
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
            for (String path : List.of("/over", "/endless")) {
                Exchange over = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> call(camel, path));
                assertThat(causes(over.getException())).extracting(Throwable::getMessage)
                        .contains("the answer is larger than 1 KB (app.targets.max-answer-size)");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("clients")
    void aHeaderLineBeyondTheBoundFailsTheCall(HttpClientConfigurer configurer) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("limits", configurer);
            camel.addComponent("http", new HttpHeaderLimits().httpComponent());
            camel.start();
            Exchange answer = call(camel, "/long-header");
            assertThat(causes(answer.getException())).extracting(Throwable::getMessage)
                    .anyMatch(m -> m != null && m.contains("Maximum line length limit exceeded"));
        }
    }

    private static Exchange call(DefaultCamelContext camel, String path) {
        return camel.createProducerTemplate().request("http://127.0.0.1:" + server.getAddress().getPort() + path
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
