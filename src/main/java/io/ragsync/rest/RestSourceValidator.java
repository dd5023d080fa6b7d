package io.ragsync.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.quartz.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Validates a REST source on save (and its stored config again before each batch): every problem is reported
 * with the name of its field ({@code config.itemsPath}, {@code title}, ...), all at once. Literal credentials
 * in headersTemplate are refused: a credential header must use the {@code {{API_KEY}}} placeholder, which is
 * resolved at fetch time from the server-side secret of the provider.
 */
@Component("restSourceValidator")
public class RestSourceValidator {

    static final Set<String> CONFIG_KEYS = Set.of("baseUrl", "cursorParam", "pageSizeParam", "defaultPageSize",
            "itemsPath", "nextCursorPath", "cursorStyle", "currentOffsetPath", "totalPath", "totalHeader", "totalPagesPath",
            "firstPage", "headersTemplate", "requiresAuth", "provider", "textFields", "titleField", "idField",
            "allowedRolesOverride", "ifNoneMatchHeader", "ifModifiedSinceHeader");
    private static final Set<String> SOURCE_KEYS = Set.of("tenantId", "title", "config", "enabled",
            "backofficeOnly", "schedule", "type");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    private static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}");
    private static final Pattern PARAM = Pattern.compile("[A-Za-z0-9_.\\[\\]-]{1,100}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{[^}]*}}");
    /** Headers RAGSync sets itself, or that make no sense on a GET. */
    private static final Set<String> MANAGED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "if-none-match", "if-modified-since", "expect", "upgrade");
    private static final Pattern CREDENTIAL_HEADER = Pattern.compile(
            "(?i)(authorization|proxy-authorization|cookie|.*api[-_]?key.*|.*token.*|.*secret.*|.*password.*)");

    private final ObjectMapper mapper;

    public RestSourceValidator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Validates a create/update request body and returns the values to store: tenantId, title, config
     * (normalized JSON text), enabled, backofficeOnly, schedule.
     */
    public Map<String, Object> validateSource(Map<String, Object> body) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (body == null) {
            throw new RestConfigException(Map.of("body", "a JSON object is required"));
        }
        for (String key : body.keySet()) {
            if (!SOURCE_KEYS.contains(key)) {
                errors.put(key, "unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(SOURCE_KEYS)) + ")");
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Object type = body.get("type");
        if (type != null && !"rest".equals(type)) {
            errors.put("type", "only 'rest' sources are supported");
        }
        String tenant = string(body.get("tenantId"));
        if (tenant == null || tenant.isBlank()) {
            errors.put("tenantId", "is required");
        } else if (!TENANT.matcher(tenant).matches()) {
            errors.put("tenantId", "must be 1-100 letters, digits or _ . : - (starting with a letter or digit)");
        }
        out.put("tenantId", tenant);
        String title = string(body.get("title"));
        if (title == null || title.isBlank()) {
            errors.put("title", "is required");
        } else if (title.length() > 200) {
            errors.put("title", "must be at most 200 characters");
        }
        out.put("title", title == null ? null : title.strip());
        out.put("enabled", bool(body, "enabled", true, errors));
        out.put("backofficeOnly", bool(body, "backofficeOnly", false, errors));
        String schedule = string(body.get("schedule"));
        if (schedule != null && schedule.isBlank()) {
            schedule = null;
        }
        if (schedule != null) {
            try {
                new CronExpression(schedule);
            } catch (java.text.ParseException e) {
                errors.put("schedule", "is not a valid Quartz cron expression (e.g. '0 0 * * * ?' hourly): "
                        + e.getMessage());
            }
        }
        out.put("schedule", schedule);

        Object rawConfig = body.get("config");
        Map<String, Object> config = null;
        if (rawConfig == null) {
            errors.put("config", "is required");
        } else if (rawConfig instanceof String text) {
            try {
                config = mapper.readValue(text, new TypeReference<Map<String, Object>>() { });
            } catch (JsonProcessingException e) {
                errors.put("config", "is not valid JSON: " + e.getOriginalMessage());
            }
        } else if (rawConfig instanceof Map<?, ?> map) {
            config = castMap(map);
        } else {
            errors.put("config", "must be a JSON object");
        }
        if (config != null) {
            checkConfig(config, errors);
            try {
                out.put("config", mapper.writeValueAsString(config));
            } catch (JsonProcessingException e) {
                errors.put("config", "cannot be written as JSON: " + e.getOriginalMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new RestConfigException(errors);
        }
        return out;
    }

    /** Parses and validates a stored config (before a batch): the same rules as on save. */
    public RestSourceConfig parse(String configJson) {
        Map<String, Object> config;
        try {
            config = mapper.readValue(configJson, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new RestConfigException(Map.of("config", "is not valid JSON: " + e.getOriginalMessage()));
        }
        Map<String, String> errors = new LinkedHashMap<>();
        RestSourceConfig parsed = checkConfig(config, errors);
        if (!errors.isEmpty()) {
            throw new RestConfigException(errors);
        }
        return parsed;
    }

    private RestSourceConfig checkConfig(Map<String, Object> c, Map<String, String> errors) {
        int before = errors.size();
        for (String key : c.keySet()) {
            if (!CONFIG_KEYS.contains(key)) {
                errors.put("config." + key, "unknown key (allowed: " + String.join(", ", new java.util.TreeSet<>(CONFIG_KEYS)) + ")");
            }
        }
        String baseUrl = str(c, "baseUrl", errors);
        if (baseUrl == null) {
            errors.putIfAbsent("config.baseUrl", "is required (the first page's URL, http or https)");
        } else {
            checkUrl(baseUrl, errors);
        }
        String itemsPath = str(c, "itemsPath", errors);
        if (itemsPath == null) {
            errors.putIfAbsent("config.itemsPath", "is required (JSONPath of the items array, e.g. $.products)");
        } else {
            checkPath("config.itemsPath", itemsPath, true, errors);
        }
        String nextCursorPath = str(c, "nextCursorPath", errors);
        String styleText = str(c, "cursorStyle", errors);
        CursorStyle style = CursorStyle.parse(styleText);
        if (styleText != null && style == null) {
            errors.put("config.cursorStyle", "must be one of cursor, offset, page, link (got '" + styleText + "')");
        } else if (styleText == null && nextCursorPath == null) {
            errors.putIfAbsent("config.cursorStyle",
                    "set nextCursorPath (cursor in the body) or cursorStyle: cursor | offset | page | link");
        } else if (style == null) {
            style = CursorStyle.CURSOR;
        }
        String cursorParam = str(c, "cursorParam", errors);
        String currentOffsetPath = str(c, "currentOffsetPath", errors);
        String totalPath = str(c, "totalPath", errors);
        String totalHeader = str(c, "totalHeader", errors);
        if (totalHeader != null && !HEADER_NAME.matcher(totalHeader).matches()) {
            errors.put("config.totalHeader", "is not a valid HTTP header name");
        }
        String totalPagesPath = str(c, "totalPagesPath", errors);
        if (style != null) {
            if (style != CursorStyle.LINK && cursorParam == null) {
                errors.putIfAbsent("config.cursorParam", "is required for cursorStyle " + style.json()
                        + " (the query parameter that carries the " + switch (style) {
                            case OFFSET -> "offset";
                            case PAGE -> "page number";
                            default -> "cursor";
                        } + ")");
            }
            if (style == CursorStyle.CURSOR && nextCursorPath == null) {
                errors.putIfAbsent("config.nextCursorPath", "is required for cursorStyle cursor (JSONPath of the next cursor)");
            }
            if (style == CursorStyle.OFFSET) {
                // without currentOffsetPath the page is taken to start at the offset asked for
                if (totalPath == null && totalHeader == null) {
                    errors.putIfAbsent("config.totalPath", "is required for cursorStyle offset (JSONPath of the total item count,"
                            + " e.g. $.total), unless totalHeader names the response header that carries it (e.g. X-Total-Count)");
                } else if (totalPath != null && totalHeader != null) {
                    errors.put("config.totalHeader", "set either totalPath or totalHeader, not both");
                }
            } else if (totalHeader != null) {
                errors.put("config.totalHeader", "is only used by cursorStyle offset");
            }
        }
        if (cursorParam != null && !PARAM.matcher(cursorParam).matches()) {
            errors.put("config.cursorParam", "must be a plain query parameter name");
        }
        for (var p : new String[][] {{"config.nextCursorPath", nextCursorPath}, {"config.currentOffsetPath", currentOffsetPath},
                {"config.totalPath", totalPath}, {"config.totalPagesPath", totalPagesPath}}) {
            if (p[1] != null) {
                checkPath(p[0], p[1], true, errors);
            }
        }
        String pageSizeParam = str(c, "pageSizeParam", errors);
        if (pageSizeParam != null && !PARAM.matcher(pageSizeParam).matches()) {
            errors.put("config.pageSizeParam", "must be a plain query parameter name");
        }
        Integer pageSize = integer(c, "defaultPageSize", 1, 10_000, errors);
        if (pageSizeParam != null && pageSize == null && !errors.containsKey("config.defaultPageSize")) {
            errors.put("config.defaultPageSize", "is required with pageSizeParam (1-10000)");
        }
        if (pageSize != null && pageSizeParam == null) {
            errors.put("config.pageSizeParam", "is required with defaultPageSize (the query parameter of the page size)");
        }
        Integer firstPage = integer(c, "firstPage", 0, 1, errors);

        Map<String, String> headers = new LinkedHashMap<>();
        Object rawHeaders = c.get("headersTemplate");
        if (rawHeaders != null && !(rawHeaders instanceof Map)) {
            errors.put("config.headersTemplate", "must be an object of header name to value");
        } else if (rawHeaders != null) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) rawHeaders).entrySet()) {
                String name = String.valueOf(e.getKey());
                String field = "config.headersTemplate." + name;
                if (!HEADER_NAME.matcher(name).matches()) {
                    errors.put(field, "is not a valid HTTP header name");
                    continue;
                }
                if (MANAGED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    errors.put(field, "is set by RAGSync itself (use ifNoneMatchHeader / ifModifiedSinceHeader for freshness)");
                    continue;
                }
                if (!(e.getValue() instanceof String value)) {
                    errors.put(field, "must be a string");
                    continue;
                }
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    errors.put(field, "must not contain line breaks");
                    continue;
                }
                var placeholders = PLACEHOLDER.matcher(value);
                boolean badPlaceholder = false;
                while (placeholders.find()) {
                    if (!placeholders.group().equals(RestSourceConfig.API_KEY_PLACEHOLDER)) {
                        errors.put(field, "only the placeholder {{API_KEY}} is supported (found " + placeholders.group() + ")");
                        badPlaceholder = true;
                    }
                }
                if (badPlaceholder) {
                    continue;
                }
                if (CREDENTIAL_HEADER.matcher(name).matches() && !value.contains(RestSourceConfig.API_KEY_PLACEHOLDER)) {
                    errors.put(field, "looks like a credential: write {{API_KEY}} and set the secret on the server"
                            + " (app.rest.secrets.<provider>); literal credentials are never stored");
                    continue;
                }
                headers.put(name, value);
            }
        }
        boolean requiresAuth = flag(c, "requiresAuth", errors);
        String provider = str(c, "provider", errors);
        if (provider != null && !PROVIDER.matcher(provider).matches()) {
            errors.put("config.provider", "must be 1-63 lower-case letters, digits, _ or - (it names the secret app.rest.secrets.<provider>)");
        }
        boolean usesKey = headers.values().stream().anyMatch(v -> v.contains(RestSourceConfig.API_KEY_PLACEHOLDER));
        if (usesKey && provider == null) {
            errors.putIfAbsent("config.provider", "is required when headersTemplate uses {{API_KEY}} (the secret is app.rest.secrets.<provider>)");
        }
        if (requiresAuth && !usesKey) {
            errors.putIfAbsent("config.headersTemplate", "must send {{API_KEY}} in a header when requiresAuth is true");
        }

        List<String> textFields = stringList(c, "textFields", errors);
        if (textFields == null || textFields.isEmpty()) {
            errors.putIfAbsent("config.textFields", "is required: the item fields whose values make the text (e.g. [\"title\", \"description\", \"reviews[*].comment\"])");
        } else {
            for (int i = 0; i < textFields.size(); i++) {
                checkPath("config.textFields[" + i + "]", itemPath(textFields.get(i)), false, errors);
            }
        }
        String titleField = str(c, "titleField", errors);
        if (titleField != null) {
            checkPath("config.titleField", itemPath(titleField), false, errors);
        }
        String idField = str(c, "idField", errors);
        if (idField != null) {
            checkPath("config.idField", itemPath(idField), false, errors);
        }
        List<String> roles = stringList(c, "allowedRolesOverride", errors);
        if (roles != null && roles.stream().anyMatch(r -> r.isBlank() || r.length() > 100)) {
            errors.put("config.allowedRolesOverride", "roles must be non-empty names of at most 100 characters");
        }
        boolean ifNoneMatch = flag(c, "ifNoneMatchHeader", errors);
        boolean ifModifiedSince = flag(c, "ifModifiedSinceHeader", errors);
        if (errors.size() > before) {
            return null;
        }
        return new RestSourceConfig(baseUrl, style, cursorParam, pageSizeParam, pageSize, itemsPath, nextCursorPath,
                currentOffsetPath, totalPath, totalHeader, totalPagesPath, firstPage == null ? 1 : firstPage, Map.copyOf(headers),
                requiresAuth, provider, List.copyOf(textFields), titleField, idField,
                roles == null ? null : List.copyOf(roles), ifNoneMatch, ifModifiedSince);
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

    private static void checkPath(String field, String path, boolean rooted, Map<String, String> errors) {
        if (rooted && !path.startsWith("$")) {
            errors.put(field, "must be a JSONPath starting with $ (e.g. $.data)");
            return;
        }
        try {
            JsonPath.compile(path);
        } catch (InvalidPathException | IllegalArgumentException e) {
            errors.put(field, "is not a valid JSONPath: " + e.getMessage());
        }
    }

    private static String string(Object value) {
        return value == null ? null : value instanceof String s ? s : String.valueOf(value);
    }

    private static String str(Map<String, Object> c, String key, Map<String, String> errors) {
        Object v = c.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            errors.put("config." + key, "must be a string");
            return null;
        }
        return s.isBlank() ? null : s.strip();
    }

    private static boolean flag(Map<String, Object> c, String key, Map<String, String> errors) {
        Object v = c.get(key);
        if (v == null) {
            return false;
        }
        if (!(v instanceof Boolean b)) {
            errors.put("config." + key, "must be true or false");
            return false;
        }
        return b;
    }

    private static Boolean bool(Map<String, Object> body, String key, boolean dflt, Map<String, String> errors) {
        Object v = body.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Boolean b)) {
            errors.put(key, "must be true or false");
            return dflt;
        }
        return b;
    }

    private static Integer integer(Map<String, Object> c, String key, int min, int max, Map<String, String> errors) {
        Object v = c.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < min || n.longValue() > max) {
            errors.put("config." + key, "must be a whole number from " + min + " to " + max);
            return null;
        }
        return n.intValue();
    }

    private static List<String> stringList(Map<String, Object> c, String key, Map<String, String> errors) {
        Object v = c.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> list) || list.stream().anyMatch(x -> !(x instanceof String))) {
            errors.put("config." + key, "must be an array of strings");
            return null;
        }
        List<String> out = new ArrayList<>();
        list.forEach(x -> out.add(((String) x).strip()));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
