package io.ragsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.targets.ragflow.RagflowHttpClientConfigurer;
import io.ragsync.support.RagflowStub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.hc.client5.http.entity.mime.FileBody;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.springframework.util.unit.DataSize;

/**
 * The cheapest Camel client of the bulk bench's calls (bench/README.md, "Camel floor"): the baseline's four
 * requests per document (upload, meta_fields, parse, status polls 200 ms apart until DONE) sent through
 * camel-http with the hub's HTTP client settings and RAGFlow's envelope checked (HTTP 200 and code 0), with
 * the same parallelism, but nothing else of the hub: no database, no job queue, no circuit breaker or
 * bulkhead, no metrics, no JMX, no logging. What it reaches against the direct client bounds what any hub
 * built of Camel routes can reach on the same machine.
 */
final class CamelFloor implements AutoCloseable {

    private final CamelContext camel = new DefaultCamelContext();
    private final ProducerTemplate template;
    private final ObjectMapper json = new ObjectMapper();
    private final int parallelism;
    private String dataset;

    CamelFloor(String baseUrl, Path storage, int parallelism) throws Exception {
        this.parallelism = parallelism;
        camel.disableJMX();
        camel.getRegistry().bind("ragflowHttpClientConfigurer", new RagflowHttpClientConfigurer(false,
                DataSize.ofMegabytes(16)));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:floor-call")
                        .removeHeaders("*", "CamelHttpMethod|CamelHttpPath|CamelHttpQuery|Content-Type")
                        .setHeader("Authorization", constant("Bearer " + RagflowStub.API_KEY))
                        .setHeader("Accept", constant("application/json"))
                        .to(baseUrl + "/api/v1?throwExceptionOnFailure=false"
                                + "&httpClientConfigurer=#ragflowHttpClientConfigurer")
                        .process(CamelFloor.this::checkEnvelope);

                from("direct:floor-document")
                        .setProperty("name", body())
                        .process(e -> e.getMessage().setBody(MultipartEntityBuilder.create()
                                .setMode(HttpMultipartMode.LEGACY).setCharset(StandardCharsets.UTF_8)
                                .addPart("file", new FileBody(storage.resolve(e.getProperty("name", String.class)).toFile(),
                                        ContentType.APPLICATION_OCTET_STREAM, e.getProperty("name", String.class)))
                                .build()))
                        .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                        .setHeader(Exchange.HTTP_PATH, simple("/datasets/${exchangeProperty.dataset}/documents"))
                        .to("direct:floor-call")
                        .process(e -> e.setProperty("id", e.getMessage().getBody(JsonNode.class).path(0).path("id").asText()))
                        .process(e -> e.getMessage().setBody(Bench.Baseline.metaFields(e.getProperty("name", String.class))))
                        .setHeader(Exchange.HTTP_METHOD, constant("PUT"))
                        .setHeader(Exchange.HTTP_PATH, simple("/datasets/${exchangeProperty.dataset}/documents/${exchangeProperty.id}"))
                        .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                        .to("direct:floor-call")
                        .setBody(simple("{\"document_ids\":[\"${exchangeProperty.id}\"]}"))
                        .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                        .setHeader(Exchange.HTTP_PATH, simple("/datasets/${exchangeProperty.dataset}/chunks"))
                        .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                        .to("direct:floor-call")
                        .setProperty("done", constant(false))
                        .setProperty("polled", constant(false))
                        .loopDoWhile(exchangeProperty("done").isEqualTo(false))
                            .filter(exchangeProperty("polled").isEqualTo(true))
                                .delay(200).syncDelayed().end() // ends the delay
                            .end() // ends the filter
                            .setBody(constant(""))
                            .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                            .setHeader(Exchange.HTTP_PATH, simple("/datasets/${exchangeProperty.dataset}/documents"))
                            .setHeader(Exchange.HTTP_QUERY, simple("id=${exchangeProperty.id}&page=1&page_size=1"))
                            .to("direct:floor-call")
                            .process(e -> {
                                e.setProperty("polled", true);
                                e.setProperty("done", "DONE".equals(
                                        e.getMessage().getBody(JsonNode.class).path("docs").path(0).path("run").asText()));
                            })
                        .end();
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    /** RAGFlow answers errors as HTTP 200 with a non-zero code: both are checked; the body becomes the envelope's data. */
    private void checkEnvelope(Exchange e) throws Exception {
        int status = e.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String body = e.getMessage().getBody(String.class);
        JsonNode envelope = json.readTree(body);
        if (status != 200 || envelope.path("code").asInt(-1) != 0) {
            throw new IllegalStateException("RAGFlow answered " + status + " " + body);
        }
        e.getMessage().setBody(envelope.path("data"));
    }

    void run(List<String> names) throws Exception {
        if (dataset == null) {
            JsonNode created = template.request("direct:floor-call", e -> {
                e.getMessage().setBody("{\"name\":\"Bench\"}");
                e.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
                e.getMessage().setHeader(Exchange.HTTP_PATH, "/datasets");
                e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            }).getMessage().getBody(JsonNode.class);
            dataset = created.path("id").asText();
        }
        Bench.eachInParallel(names, parallelism, "Camel floor", name -> {
            Exchange done = template.send("direct:floor-document", e -> {
                e.setProperty("dataset", dataset);
                e.getMessage().setBody(name);
            });
            if (done.getException() != null) {
                throw done.getException();
            }
        });
    }

    @Override
    public void close() throws Exception {
        camel.close();
    }
}
