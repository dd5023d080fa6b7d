package io.ragsync.sources.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestSourceValidatorTest {

    private final RestSourceValidator validator = new RestSourceValidator(new ObjectMapper());

    private static Map<String, Object> offset() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("baseUrl", "https://dummyjson.com/products");
        c.put("cursorStyle", "offset");
        c.put("cursorParam", "skip");
        c.put("pageSizeParam", "limit");
        c.put("defaultPageSize", 30);
        c.put("itemsPath", "$.products");
        c.put("currentOffsetPath", "$.skip");
        c.put("totalPath", "$.total");
        c.put("textFields", List.of("title", "reviews[*].comment"));
        c.put("headersTemplate", Map.of("Authorization", "Bearer {{API_KEY}}"));
        c.put("requiresAuth", true);
        c.put("provider", "dummyjson");
        return c;
    }

    private static Map<String, Object> source(Object config) {
        Map<String, Object> s = new HashMap<>();
        s.put("tenantId", "acme");
        s.put("title", "Products");
        s.put("config", config);
        return s;
    }

    private Map<String, String> errors(Object config) {
        try {
            validator.validateSource(source(config));
            return Map.of();
        } catch (RestConfigException e) {
            return e.getFields();
        }
    }

    @Test
    void aCompleteOffsetConfigIsAcceptedAndNormalized() {
        Map<String, Object> out = validator.validateSource(source(offset()));
        assertThat(out).containsEntry("tenantId", "acme").containsEntry("title", "Products").containsEntry("enabled", true)
                .containsEntry("backofficeOnly", false).containsEntry("schedule", null);
        RestSourceConfig config = validator.parse((String) out.get("config"));
        assertThat(config.cursorStyle()).isEqualTo(CursorStyle.OFFSET);
        assertThat(config.usesApiKey()).isTrue();
        assertThat(config.firstPage()).isEqualTo(1);
    }

    /** A path the JSONPath parser trips over is refused in words for the admin, not with a Java exception's. */
    @Test
    void anUnfinishedJsonPathIsNamedWithoutTheParsersException() {
        for (String path : new String[] {"$[", "$..[", "$['a"}) {
            Map<String, Object> c = offset();
            c.put("itemsPath", path);
            assertThat(errors(c).get("config.itemsPath")).as(path).startsWith("is not a valid JSONPath")
                    .doesNotContain("Exception").doesNotContain("java.");
        }
    }

    @Test
    void nextCursorPathAloneMeansCursorStyle() {
        Map<String, Object> c = new LinkedHashMap<>(Map.of("baseUrl", "http://api.local/orders", "cursorParam", "cursor",
                "itemsPath", "$.data", "nextCursorPath", "$.meta.next", "textFields", List.of("note")));
        assertThat(errors(c)).isEmpty();
        assertThat(validator.parse(validator.validateSource(source(c)).get("config").toString()).cursorStyle()).isEqualTo(CursorStyle.CURSOR);
    }

    @Test
    void eachStyleNamesWhatItMisses() {
        assertThat(errors(Map.of("baseUrl", "http://a.b/x", "itemsPath", "$.x", "textFields", List.of("a"))))
                .containsOnlyKeys("config.cursorStyle");
        assertThat(errors(Map.of("baseUrl", "http://a.b/x", "itemsPath", "$.x", "textFields", List.of("a"), "cursorStyle", "cursor")))
                .containsOnlyKeys("config.cursorParam", "config.nextCursorPath");
        assertThat(errors(Map.of("baseUrl", "http://a.b/x", "itemsPath", "$.x", "textFields", List.of("a"), "cursorStyle", "offset",
                "cursorParam", "skip"))).containsOnlyKeys("config.totalPath");
        assertThat(errors(Map.of("baseUrl", "http://a.b/x", "itemsPath", "$.x", "textFields", List.of("a"), "cursorStyle", "link")))
                .isEmpty();
        assertThat(errors(Map.of("baseUrl", "http://a.b/x", "itemsPath", "$.x", "textFields", List.of("a"), "cursorStyle", "scroll")))
                .containsOnlyKeys("config.cursorStyle");
    }

    @Test
    void literalCredentialsAndUnknownPlaceholdersAreRefused() {
        Map<String, Object> c = offset();
        c.put("headersTemplate", Map.of("Authorization", "Bearer abc123", "X-Api-Key", "k", "X-Tenant", "{{TENANT}}",
                "If-None-Match", "x", "Accept-Language", "en"));
        Map<String, String> e = errors(c);
        assertThat(e).containsKeys("config.headersTemplate.Authorization", "config.headersTemplate.X-Api-Key",
                "config.headersTemplate.X-Tenant", "config.headersTemplate.If-None-Match")
                .doesNotContainKey("config.headersTemplate.Accept-Language");
        assertThat(e.toString()).doesNotContain("abc123");
    }

    @Test
    void apiKeyNeedsAProviderAndRequiresAuthNeedsTheKey() {
        Map<String, Object> c = offset();
        c.remove("provider");
        assertThat(errors(c)).containsOnlyKeys("config.provider");
        c = offset();
        c.put("headersTemplate", Map.of("Accept-Language", "en"));
        assertThat(errors(c)).containsOnlyKeys("config.headersTemplate");
    }

    @Test
    void badValuesAreNamedField() {
        Map<String, Object> c = offset();
        c.put("baseUrl", "https://user:pw@api.local/x");
        c.put("itemsPath", "$.[[");
        c.put("defaultPageSize", 0);
        c.put("textFields", "title");
        c.put("ifNoneMatchHeader", "yes");
        c.put("cursorParams", "x");
        assertThat(errors(c)).containsOnlyKeys("config.baseUrl", "config.itemsPath", "config.defaultPageSize",
                "config.textFields", "config.ifNoneMatchHeader", "config.cursorParams");
        Map<String, Object> s = source(offset());
        s.put("schedule", "61 * * * * ?");
        s.put("enabled", "yes");
        s.put("tenantId", "a b");
        assertThatThrownBy(() -> validator.validateSource(s)).isInstanceOf(RestConfigException.class)
                .satisfies(e -> assertThat(((RestConfigException) e).getFields()).containsOnlyKeys("schedule", "enabled", "tenantId"));
    }

    @Test
    void configMayComeAsJsonText() {
        assertThat(errors("{\"baseUrl\":")).containsOnlyKeys("config");
        assertThat(errors("{\"baseUrl\":\"http://a.b/x\",\"itemsPath\":\"$.x\",\"textFields\":[\"a\"],\"cursorStyle\":\"link\"}")).isEmpty();
    }

    @Test
    void anOffsetTotalMayComeFromAResponseHeaderInstead() {
        Map<String, Object> jsonServer = Map.of("baseUrl", "http://localhost:3000/posts", "cursorStyle", "offset",
                "cursorParam", "_start", "pageSizeParam", "_limit", "defaultPageSize", 10, "itemsPath", "$",
                "totalHeader", "X-Total-Count", "textFields", List.of("title", "body"));
        assertThat(errors(jsonServer)).isEmpty();
        Map<String, Object> both = new HashMap<>(jsonServer);
        both.put("totalPath", "$.total");
        assertThat(errors(both)).containsOnlyKeys("config.totalHeader");
        Map<String, Object> badName = new HashMap<>(jsonServer);
        badName.put("totalHeader", "X Total: Count");
        assertThat(errors(badName)).containsOnlyKeys("config.totalHeader");
        assertThat(errors(Map.of("baseUrl", "http://a.b/x", "itemsPath", "$.x", "textFields", List.of("a"),
                "cursorStyle", "link", "totalHeader", "X-Total-Count"))).containsOnlyKeys("config.totalHeader");
    }

    @Test
    void aBadListElementIsNamedByItsIndex() {
        Map<String, Object> c = offset();
        c.put("allowedRolesOverride", List.of("support", " "));
        assertThat(errors(c)).containsOnlyKeys("config.allowedRolesOverride[1]");
    }
}
