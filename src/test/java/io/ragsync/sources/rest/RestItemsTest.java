package io.ragsync.sources.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.targets.local.TextChunker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestItemsTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final RestSourceValidator validator = new RestSourceValidator(mapper);

    @Test
    void textOfNestedPathsAndArrays() {
        Map<String, Object> item = RestApiStub.product(7);
        String text = RestItems.text(item, List.of("title", "meta.brand", "tags", "reviews[*].comment", "missing", "id"));
        assertThat(text).isEqualTo("""
                title: Glamour Beauty Powder Canister No. 7
                meta.brand: Glamour Beauty
                tags: beauty, powder-canister
                reviews.comment: Great value, product 7 exceeded expectations, Decent, but the packaging of item 7 was damaged
                id: 7""");
        assertThat(RestItems.value(item, "id")).isEqualTo("7");
        assertThat(RestItems.value(item, "reviews")).contains("comment Great value, product 7");
    }

    @Test
    void longItemsAreChunkedWithHashesAndRoles() throws Exception {
        RestItems items = new RestItems(new TextChunker(), mapper, "tokens", 50, 10, 100, List.of("member"));
        RestSourceConfig config = validator.parse(mapper.writeValueAsString(Map.of("baseUrl", "http://a.b/x", "cursorStyle", "link",
                "itemsPath", "$", "textFields", List.of("title", "body"), "idField", "id")));
        String body = "This sentence is about the warehouse in Lyon and its opening hours. ".repeat(20);
        List<Map<String, Object>> rows = items.chunkRows(List.of(Map.of("id", 1, "title", "Lyon", "body", body),
                Map.of("id", 2, "title", "", "body", ""), Map.of("id", 3, "body", "Only a body.")), config, 9, "t1", "Ops", "http://a.b/x");
        List<Map<String, Object>> first = rows.stream().filter(r -> r.get("metadata").toString().contains("\"itemId\":\"1\"")).toList();
        assertThat(first.size()).isGreaterThan(2);
        assertThat(first.get(0).get("title")).isEqualTo("Lyon (1/" + first.size() + ")");
        assertThat(first).allSatisfy(r -> {
            assertThat(r).containsEntry("tenantId", "t1").containsEntry("sourceId", 9L).containsEntry("allowedRoles", "[\"member\"]");
            assertThat(r.get("metadata").toString()).contains("\"contentHash\":\"" + TextChunker.sha256((String) r.get("content")) + "\"");
            assertThat(r.get("contentHash")).isEqualTo(TextChunker.sha256((String) r.get("content")));
        });
        // an item without text makes no chunk; one without a title is named after the source and its id
        assertThat(rows).noneMatch(r -> r.get("metadata").toString().contains("\"itemId\":\"2\""));
        Map<String, Object> third = rows.get(rows.size() - 1);
        assertThat(third.get("title")).isEqualTo("Ops item 3");
        assertThat(third.get("content")).isEqualTo("body: Only a body.");
    }
}
