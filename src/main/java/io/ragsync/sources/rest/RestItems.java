package io.ragsync.sources.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import io.ragsync.targets.local.TextChunker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** A page's items as chunk rows of sql/sources/rest/insert-rest-chunks.sql: "label: value" lines, chunked. */
@Component("restItems")
public class RestItems {

    /** A chunk's metadata; truncated only on the chunks of a cut item. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Meta(String contentHash, String itemId, int part, int parts, Boolean truncated, int size,
                String sourceUrl) {
    }

    private final TextChunker chunker;
    private final ObjectMapper mapper;
    private final TextChunker.Settings settings;
    private final List<String> defaultRoles;

    public RestItems(TextChunker chunker, ObjectMapper mapper,
                     @Value("${app.rest.chunk.mode:tokens}") String mode,
                     @Value("${app.rest.chunk.size:1000}") int size,
                     @Value("${app.rest.chunk.overlap:120}") int overlap,
                     @Value("${app.rest.chunk.max-chunks-per-item:100}") int maxChunks,
                     @Value("${app.rest.default-allowed-roles:member}") List<String> defaultRoles) {
        this.chunker = chunker;
        this.mapper = mapper;
        this.settings = TextChunker.Settings.of(mode, size, overlap, maxChunks);
        this.defaultRoles = defaultRoles.stream().map(String::strip).filter(r -> !r.isEmpty()).toList();
    }

    /** The text of one item: one "label: value" line per text field that has a value. */
    public static String text(Object item, List<String> textFields) {
        return textFields.stream().map(field -> Map.entry(field, flatten(read(item, field)).strip()))
                .filter(e -> !e.getValue().isEmpty())
                .map(e -> label(e.getKey()) + ": " + e.getValue()).collect(Collectors.joining("\n"));
    }

    /** The value of a field as plain text (arrays and objects flattened), or null. */
    public static String value(Object item, String field) {
        String v = field == null ? "" : flatten(read(item, field)).strip();
        return v.isEmpty() ? null : v;
    }

    private static Object read(Object item, String field) {
        if (!(item instanceof Map) && !(item instanceof List)) {
            return field.strip().equals("$") ? item : null;
        }
        try {
            return JsonPath.read(item, RestSourceValidator.itemPath(field));
        } catch (PathNotFoundException e) {
            return null;
        }
    }

    private static String flatten(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Collection<?> list) {
            String separator = list.stream().anyMatch(o -> o instanceof Map || o instanceof Collection) ? "\n" : ", ";
            return list.stream().map(o -> flatten(o).strip()).filter(s -> !s.isEmpty())
                    .collect(Collectors.joining(separator));
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> Map.entry(e.getKey(), flatten(e.getValue()).strip()))
                    .filter(e -> !e.getValue().isEmpty())
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        }
        return RestPages.plain(value);
    }

    private static String label(String field) {
        String l = field.strip().replaceAll("^\\$\\.?", "").replaceAll("\\[[^]]*]", "");
        return l.isEmpty() ? "value" : l;
    }

    /** Chunk rows of a page's items, in item order; metadata and allowedRoles as JSON text. */
    public List<Map<String, Object>> chunkRows(List<Object> items, RestSourceConfig config, long sourceId,
                                               String tenantId, String sourceTitle, String pageUrl)
            throws JsonProcessingException {
        List<String> roles = config.allowedRolesOverride() != null ? config.allowedRolesOverride() : defaultRoles;
        String rolesJson = mapper.writeValueAsString(roles);
        List<Map<String, Object>> rows = new ArrayList<>();
        int position = 0;
        for (Object item : items) {
            position++;
            String text = text(item, config.textFields());
            if (text.isBlank()) {
                continue;
            }
            String itemId = value(item, config.idField());
            String itemTitle = value(item, config.titleField() != null ? config.titleField() : config.textFields().get(0));
            if (itemTitle == null) {
                itemTitle = sourceTitle + " item " + (itemId != null ? itemId : String.valueOf(position));
            }
            itemTitle = RestPages.abbreviate(itemTitle, 200);
            TextChunker.Result result = chunker.chunk(text, settings);
            int parts = result.chunks().size();
            for (TextChunker.Chunk chunk : result.chunks()) {
                Meta meta = new Meta(chunk.contentHash(), itemId, chunk.index() + 1, parts,
                        result.truncated() ? Boolean.TRUE : null, chunk.size(), pageUrl);
                String title = parts > 1 ? itemTitle + " (" + (chunk.index() + 1) + "/" + parts + ")" : itemTitle;
                rows.add(Map.of("tenantId", tenantId, "sourceId", sourceId, "title", title, "content", chunk.content(),
                        "contentHash", chunk.contentHash(), "metadata", mapper.writeValueAsString(meta),
                        "allowedRoles", rolesJson));
            }
        }
        return rows;
    }
}
