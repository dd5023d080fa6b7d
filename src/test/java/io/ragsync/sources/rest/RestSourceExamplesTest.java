package io.ragsync.sources.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The complete example bodies the READMEs point to (src/test/resources/rest-source-examples, one per pagination
 * style) are accepted by the backoffice API as they are, and the json-server one pulls a collection the way
 * json-server 0.17.4 serves it: {@code ?_start=&_limit=}, a plain array body, the total in {@code X-Total-Count}.
 */
class RestSourceExamplesTest extends RestSourceTestSupport {

    private static final Path EXAMPLES = Path.of("src/test/resources/rest-source-examples");

    @Test
    void everyReadmeExampleIsAcceptedAsItIsAndTogetherTheyCoverEveryStyle() throws Exception {
        String readmes = Files.readString(Path.of("README.md")) + Files.readString(Path.of("routes/sources/README.md"));
        Set<CursorStyle> styles = EnumSet.noneOf(CursorStyle.class);
        List<Path> examples;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            examples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(CursorStyle.values().length);
        for (Path example : examples) {
            assertThat(readmes).as("a README points to %s", example).contains(example.toString().replace('\\', '/'));
            String body = Files.readString(example, StandardCharsets.UTF_8);
            HttpResponse<String> created = admin("POST", "/api/backoffice/rest-sources", body);
            assertThat(created.statusCode()).as("%s: %s", example, created.body()).isEqualTo(201);
            long id = ((Number) json(created).get("id")).longValue();
            styles.add(CursorStyle.parse(jdbc.queryForObject("SELECT config->>'cursorStyle' FROM kb_sources WHERE id = ?",
                    String.class, id)));
        }
        assertThat(styles).containsExactlyInAnyOrder(CursorStyle.values());
    }

    @Test
    void aJsonServerCollectionIsPulledWithItsTotalFromXTotalCount() throws Exception {
        List<Map<String, Object>> posts = IntStream.rangeClosed(1, 23).mapToObj(i -> Map.<String, Object>of("id", i,
                "title", "Post " + i, "body", "Body of post " + i, "userId", 1 + i % 3)).toList();
        for (int start = 0; start < posts.size(); start += 10) {
            API.wireMock().stubFor(get(urlPathEqualTo("/posts")).atPriority(1)
                    .withQueryParam("_start", equalTo(String.valueOf(start))).withQueryParam("_limit", equalTo("10"))
                    .willReturn(aResponse().withStatus(200)
                            .withHeader("Content-Type", "application/json; charset=utf-8")
                            .withHeader("X-Total-Count", String.valueOf(posts.size()))
                            .withHeader("Access-Control-Expose-Headers", "X-Total-Count")
                            .withBody(JSON.writeValueAsString(posts.subList(start, Math.min(start + 10, posts.size()))))));
        }
        Map<String, Object> body = JSON.readValue(Files.readString(EXAMPLES.resolve("offset-total-header.json")),
                new TypeReference<LinkedHashMap<String, Object>>() { });
        Map<String, Object> config = config(body);
        config.put("baseUrl", API.baseUrl() + "/posts");
        config.put("defaultPageSize", 10);
        long source = createSource((String) body.get("title"), config);

        List<Map<String, Object>> answers = pullUntilDone(source, 5);

        assertThat(answers).extracting(a -> a.get("items")).containsExactly(10, 10, 3);
        assertThat(answers).extracting(a -> a.get("next")).containsExactly("10", "20", null);
        assertThat(chunksPerItem(source)).hasSize(23);
        assertThat(cursor(source)).containsEntry("done", true).containsEntry("item_count", 23L);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Map<String, Object> source) throws IOException {
        Object config = source.get("config");
        return config instanceof String text ? JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { })
                : new LinkedHashMap<>((Map<String, Object>) config);
    }
}
