package io.ragsync.sources.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import io.ragsync.platform.api.ApiBodies;
import io.ragsync.platform.api.ApiException;
import io.ragsync.platform.api.ApiIds;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.commons.lang3.StringUtils;
import org.quartz.CronExpression;
import org.springframework.stereotype.Component;

/** Validates a REST source on save and before each batch; literal credentials in headersTemplate are refused. */
@Component("restSourceValidator")
public class RestSourceValidator {

    private static final String HEADER_NAME = "[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}";
    private static final String PARAM = "[A-Za-z0-9_.\\[\\]-]{1,100}";
    private static final String PARAM_RULE = "must be a plain query parameter name";
    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("\\{\\{[^}]*}}");
    /** Headers RAGSync sets itself, or that make no sense on a GET. */
    private static final Set<String> MANAGED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "if-none-match", "if-modified-since", "expect", "upgrade");
    private static final java.util.regex.Pattern CREDENTIAL_HEADER = java.util.regex.Pattern.compile(
            "(?i)(authorization|proxy-authorization|cookie|.*api[-_]?key.*|.*token.*|.*secret.*|.*password.*)");
    private static final ApiBodies BODIES = ApiBodies.api();

    /** The create/update body; config is a JSON object or its text. */
    record SourceBody(
            @NotBlank(message = "is required") @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}",
                    message = "must be 1-100 letters, digits or _ . : - (starting with a letter or digit)") String tenantId,
            @NotBlank(message = "is required") @Size(max = 200) String title,
            @NotNull(message = "is required") JsonNode config,
            Boolean enabled,
            Boolean backofficeOnly,
            String schedule,
            @Pattern(regexp = "rest", message = "only 'rest' sources are supported") String type) {
    }

    /** kb_sources.config as stored; see routes/sources/README.md for each key. */
    record ConfigBody(
            @NotNull(message = "is required (the first page's URL, http or https)") String baseUrl,
            @Pattern(regexp = PARAM, message = PARAM_RULE) String cursorParam,
            @Pattern(regexp = PARAM, message = PARAM_RULE) String pageSizeParam,
            @Min(1) @Max(10_000) Integer defaultPageSize,
            @NotNull(message = "is required (JSONPath of the items array, e.g. $.products)") String itemsPath,
            String nextCursorPath,
            @Pattern(regexp = "cursor|offset|page|link", message = "must be one of cursor, offset, page, link")
            String cursorStyle,
            String currentOffsetPath,
            String totalPath,
            @Pattern(regexp = HEADER_NAME, message = "is not a valid HTTP header name") String totalHeader,
            String totalPagesPath,
            @Min(0) @Max(1) Integer firstPage,
            Map<String, Object> headersTemplate,
            Boolean requiresAuth,
            @Pattern(regexp = "[a-z0-9][a-z0-9_-]{0,62}", message = "must be 1-63 lower-case letters, digits, _ or -"
                    + " (it names the secret app.rest.secrets.<provider>)") String provider,
            @NotEmpty(message = "is required: the item fields whose values make the text (e.g. [\"title\","
                    + " \"description\", \"reviews[*].comment\"])") List<String> textFields,
            String titleField,
            String idField,
            List<@NotBlank @Size(max = 100) String> allowedRolesOverride,
            Boolean ifNoneMatchHeader,
            Boolean ifModifiedSinceHeader) {
    }

    private final ObjectMapper mapper;

    public RestSourceValidator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The {id} of a backoffice path: the number of a REST source. */
    public long sourceId(@Header("id") String id) {
        return ApiIds.parse(id, "id", "source id");
    }

    /** The sourceId of a batch request: the number of a REST source (or its text). */
    public long batchSourceId(Exchange exchange) {
        JsonNode id = body(exchange).get("sourceId");
        if (id == null || !ApiIds.isId(id.asText())) {
            throw ApiException.badRequest("sourceId", "sourceId is required: the number of a REST source");
        }
        return Long.parseLong(id.asText());
    }

    /** A create/update request body (empty = {}) validated: the values to store. */
    public Map<String, Object> source(Exchange exchange) {
        return validate(body(exchange));
    }

    public Map<String, Object> validateSource(Map<String, Object> body) {
        return validate(mapper.valueToTree(body));
    }

    private static JsonNode body(Exchange exchange) {
        JsonNode body = BODIES.read(exchange, Long.MAX_VALUE);
        return body == null ? JsonNodeFactory.instance.objectNode() : BODIES.object(body);
    }

    /** The values to store: tenantId, title, config (normalized JSON text), enabled, backofficeOnly, schedule. */
    private Map<String, Object> validate(JsonNode body) {
        Map<String, String> errors = new TreeMap<>();
        SourceBody source = BODIES.collect(body, SourceBody.class, "", errors);
        JsonNode config = tree(body.get("config"), errors);
        config(config, errors);
        String schedule = StringUtils.defaultIfBlank(source.schedule(), null);
        if (schedule != null) {
            try {
                new CronExpression(schedule);
            } catch (java.text.ParseException e) {
                errors.put("schedule", "is not a valid Quartz cron expression (e.g. '0 0 * * * ?' hourly): "
                        + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new RestConfigException(errors);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tenantId", source.tenantId());
        out.put("title", source.title().strip());
        out.put("enabled", source.enabled() == null || source.enabled());
        out.put("backofficeOnly", source.backofficeOnly() != null && source.backofficeOnly());
        out.put("schedule", schedule);
        out.put("config", config.toString());
        return out;
    }

    /** Parses and validates a stored config (before a batch): the same rules as on save. */
    public RestSourceConfig parse(String configJson) {
        Map<String, String> errors = new TreeMap<>();
        RestSourceConfig parsed = config(tree(TextNode.valueOf(configJson), errors), errors);
        if (!errors.isEmpty()) {
            throw new RestConfigException(errors);
        }
        return parsed;
    }

    /** The config checked when it is an object (an error when absent or not an object, unless it failed to parse). */
    private RestSourceConfig config(JsonNode config, Map<String, String> errors) {
        if (config == null || config.isNull()) {
            errors.putIfAbsent("config", "is required");
        } else if (!config.isObject()) {
            errors.putIfAbsent("config", "must be a JSON object");
        }
        return config instanceof ObjectNode object ? check(object, errors) : null;
    }

    /** The config as a tree: its JSON text parsed (an error when that fails, then null). */
    private JsonNode tree(JsonNode config, Map<String, String> errors) {
        if (config == null || !config.isTextual()) {
            return config;
        }
        try {
            return mapper.readTree(config.textValue());
        } catch (JsonProcessingException e) {
            errors.put("config", "is not valid JSON: " + e.getOriginalMessage());
            return null;
        }
    }

    /** Binds a config, then the rules between its fields; the config when it added no error. */
    private RestSourceConfig check(ObjectNode config, Map<String, String> e) {
        ObjectNode trimmed = config.deepCopy();
        config.fields().forEachRemaining(f -> {
            if (f.getValue().isTextual() && f.getValue().textValue().isBlank()) {
                trimmed.remove(f.getKey());
            } else if (f.getValue().isTextual()) {
                trimmed.put(f.getKey(), f.getValue().textValue().strip());
            }
        });
        int before = e.size();
        ConfigBody c = BODIES.collect(trimmed, ConfigBody.class, "config.", e);
        if (c.baseUrl() != null) {
            checkUrl(c.baseUrl(), e);
        }
        checkPath(e, "config.itemsPath", c.itemsPath(), true);
        CursorStyle style = CursorStyle.parse(c.cursorStyle());
        if (c.cursorStyle() == null && c.nextCursorPath() == null) {
            e.putIfAbsent("config.cursorStyle",
                    "set nextCursorPath (cursor in the body) or cursorStyle: cursor | offset | page | link");
        } else if (c.cursorStyle() == null) {
            style = CursorStyle.CURSOR;
        }
        if (style != null && style != CursorStyle.LINK && c.cursorParam() == null) {
            e.putIfAbsent("config.cursorParam", "is required for cursorStyle " + style.name().toLowerCase(Locale.ROOT)
                    + " (the query parameter that carries the " + switch (style) {
                        case OFFSET -> "offset";
                        case PAGE -> "page number";
                        default -> "cursor";
                    } + ")");
        }
        if (style == CursorStyle.CURSOR && c.nextCursorPath() == null) {
            e.putIfAbsent("config.nextCursorPath", "is required for cursorStyle cursor (JSONPath of the next cursor)");
        }
        if (style == CursorStyle.OFFSET && c.totalPath() == null && c.totalHeader() == null) {
            // without currentOffsetPath the page is taken to start at the offset asked for
            e.putIfAbsent("config.totalPath", "is required for cursorStyle offset (JSONPath of the total item count,"
                    + " e.g. $.total), unless totalHeader names the response header that carries it (e.g. X-Total-Count)");
        } else if (style == CursorStyle.OFFSET && c.totalPath() != null && c.totalHeader() != null) {
            e.putIfAbsent("config.totalHeader", "set either totalPath or totalHeader, not both");
        } else if (style != null && style != CursorStyle.OFFSET && c.totalHeader() != null) {
            e.putIfAbsent("config.totalHeader", "is only used by cursorStyle offset");
        }
        checkPath(e, "config.nextCursorPath", c.nextCursorPath(), true);
        checkPath(e, "config.currentOffsetPath", c.currentOffsetPath(), true);
        checkPath(e, "config.totalPath", c.totalPath(), true);
        checkPath(e, "config.totalPagesPath", c.totalPagesPath(), true);
        if (c.pageSizeParam() != null && c.defaultPageSize() == null) {
            e.putIfAbsent("config.defaultPageSize", "is required with pageSizeParam (1-10000)");
        }
        if (c.defaultPageSize() != null && c.pageSizeParam() == null) {
            e.putIfAbsent("config.pageSizeParam", "is required with defaultPageSize (the query parameter of the page size)");
        }
        Map<String, String> headers = headers(c.headersTemplate(), e);
        boolean usesKey = headers.values().stream().anyMatch(v -> v.contains(RestSourceConfig.API_KEY_PLACEHOLDER));
        if (usesKey && c.provider() == null) {
            e.putIfAbsent("config.provider", "is required when headersTemplate uses {{API_KEY}} (the secret is"
                    + " app.rest.secrets.<provider>)");
        }
        if (Boolean.TRUE.equals(c.requiresAuth()) && !usesKey) {
            e.putIfAbsent("config.headersTemplate", "must send {{API_KEY}} in a header when requiresAuth is true");
        }
        List<String> textFields = c.textFields() == null ? List.of() : c.textFields().stream().map(String::strip).toList();
        for (int i = 0; i < textFields.size(); i++) {
            checkPath(e, "config.textFields[" + i + "]", itemPath(textFields.get(i)), false);
        }
        checkPath(e, "config.titleField", c.titleField() == null ? null : itemPath(c.titleField()), false);
        checkPath(e, "config.idField", c.idField() == null ? null : itemPath(c.idField()), false);
        if (e.size() > before) {
            return null;
        }
        return new RestSourceConfig(c.baseUrl(), style, c.cursorParam(), c.pageSizeParam(), c.defaultPageSize(),
                c.itemsPath(), c.nextCursorPath(), c.currentOffsetPath(), c.totalPath(), c.totalHeader(),
                c.totalPagesPath(), c.firstPage() == null ? 1 : c.firstPage(), Map.copyOf(headers),
                Boolean.TRUE.equals(c.requiresAuth()), c.provider(), textFields, c.titleField(), c.idField(),
                c.allowedRolesOverride() == null ? null : c.allowedRolesOverride().stream().map(String::strip).toList(),
                Boolean.TRUE.equals(c.ifNoneMatchHeader()), Boolean.TRUE.equals(c.ifModifiedSinceHeader()));
    }

    /** The header templates that pass; each refused one is named {@code config.headersTemplate.<name>}. */
    private static Map<String, String> headers(Map<String, Object> template, Map<String, String> e) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, Object> h : template == null ? Map.<String, Object>of().entrySet() : template.entrySet()) {
            String name = h.getKey();
            String field = "config.headersTemplate." + name;
            String problem = null;
            if (!name.matches(HEADER_NAME)) {
                problem = "is not a valid HTTP header name";
            } else if (MANAGED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                problem = "is set by RAGSync itself (use ifNoneMatchHeader / ifModifiedSinceHeader for freshness)";
            } else if (!(h.getValue() instanceof String value)) {
                problem = "must be a string";
            } else if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                problem = "must not contain line breaks";
            } else {
                var placeholders = PLACEHOLDER.matcher(value);
                while (problem == null && placeholders.find()) {
                    if (!placeholders.group().equals(RestSourceConfig.API_KEY_PLACEHOLDER)) {
                        problem = "only the placeholder {{API_KEY}} is supported (found " + placeholders.group() + ")";
                    }
                }
                if (problem == null && CREDENTIAL_HEADER.matcher(name).matches()
                        && !value.contains(RestSourceConfig.API_KEY_PLACEHOLDER)) {
                    problem = "looks like a credential: write {{API_KEY}} and set the secret on the server"
                            + " (app.rest.secrets.<provider>); literal credentials are never stored";
                }
            }
            if (problem == null) {
                headers.put(name, (String) h.getValue());
            } else {
                e.put(field, problem);
            }
        }
        return headers;
    }

    /** A text field is a path inside the item: "title", "meta.brand", "tags", "reviews[*].comment" or "$.x". */
    static String itemPath(String field) {
        String f = field.strip();
        return f.startsWith("$") ? f : f.startsWith("[") ? "$" + f : "$." + f;
    }

    private static void checkUrl(String url, Map<String, String> errors) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                errors.put("config.baseUrl", "must be an absolute http or https URL (got '" + url + "')");
            } else if (uri.getHost() == null || uri.getHost().isBlank()) {
                errors.put("config.baseUrl", "has no host");
            } else if (uri.getRawUserInfo() != null) {
                errors.put("config.baseUrl", "must not carry credentials (user:password@); use headersTemplate with {{API_KEY}}");
            } else if (uri.getRawFragment() != null) {
                errors.put("config.baseUrl", "must not have a #fragment");
            }
        } catch (URISyntaxException e) {
            errors.put("config.baseUrl", "is not a valid URL: " + e.getMessage());
        }
    }

    /** A JSONPath that compiles ({@code rooted}: starting with $); nothing to check when absent. */
    private static void checkPath(Map<String, String> errors, String field, String path, boolean rooted) {
        if (path == null || errors.containsKey(field)) {
            return;
        }
        if (rooted && !path.startsWith("$")) {
            errors.put(field, "must be a JSONPath starting with $ (e.g. $.data)");
            return;
        }
        try {
            JsonPath.compile(path);
        } catch (InvalidPathException | IllegalArgumentException e) {
            // Jayway wraps its own parser's slips (an index out of range): their text says nothing to the admin
            String why = e.getCause() == null ? ": " + e.getMessage() : " (a bracket, quote or filter is left open)";
            errors.put(field, "is not a valid JSONPath" + why);
        }
    }
}
