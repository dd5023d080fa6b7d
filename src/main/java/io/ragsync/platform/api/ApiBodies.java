package io.ragsync.platform.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/** JSON bodies bound to records and validated, all errors by JSON path; types checked first (Jackson stops early). */
public final class ApiBodies {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();
    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private final ObjectMapper mapper;
    private final UnaryOperator<String> naming;
    private final boolean unknownFields;
    private final int status;
    private final String error;
    private final String malformed;

    private ApiBodies(boolean snakeCase, boolean unknownFields, int status, String error, String malformed) {
        this.mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        if (snakeCase) {
            mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        }
        this.naming = snakeCase ? SNAKE::translate : UnaryOperator.identity();
        this.unknownFields = unknownFields;
        this.status = status;
        this.error = error;
        this.malformed = malformed;
    }

    /** The push API: snake_case fields, unknown fields ignored, 422 validation_error, 400 malformed_json. */
    public static ApiBodies push() {
        return new ApiBodies(true, true, 422, "validation_error", "malformed_json");
    }

    /** The JSON API: camelCase fields, unknown fields refused, 400 bad_request for both. */
    public static ApiBodies api() {
        return new ApiBodies(false, false, 400, "bad_request", "bad_request");
    }

    /** The request body as a tree, null when blank: 413 over maxBytes (declared or read), 400 when malformed. */
    public JsonNode read(Exchange exchange, long maxBytes) {
        Message in = exchange.getIn();
        Long declared = in.getHeader("Content-Length", Long.class);
        byte[] raw = in.getBody(byte[].class);
        // kept as bytes: the body may arrive as a stream, read once
        in.setBody(raw);
        if ((declared != null && declared > maxBytes) || (raw != null && raw.length > maxBytes)) {
            throw ApiException.tooLarge(null, "the request body is over the limit of " + maxBytes + " bytes");
        }
        if (raw == null || new String(raw, StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(raw);
        } catch (IOException e) {
            throw new ApiException(400, malformed, null, "malformed JSON: "
                    + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()));
        }
    }

    /** A read body that must be a JSON object; 400 when empty, not an object, or holding U+0000. */
    public ObjectNode object(JsonNode body) {
        if (body == null) {
            throw ApiException.badRequest(null, "the request body is empty: a JSON object is expected");
        }
        if (!(body instanceof ObjectNode object)) {
            throw new ApiException(400, malformed, null, "the request body must be a JSON object");
        }
        String nul = fieldWithNul(body, null);
        if (nul != null) {
            // PostgreSQL text cannot hold U+0000
            throw ApiException.badRequest(nul, nul + " contains a NUL character (U+0000)");
        }
        return object;
    }

    /** The path of the first string (key or value) holding U+0000, or null. */
    private static String fieldWithNul(JsonNode value, String path) {
        String here = path == null ? "body" : path;
        if (value.isTextual()) {
            return value.textValue().indexOf('\u0000') >= 0 ? here : null;
        }
        // properties() is empty but for objects
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            String child = path == null ? e.getKey() : path + "." + e.getKey();
            String found = e.getKey().indexOf('\u0000') >= 0 ? child : fieldWithNul(e.getValue(), child);
            if (found != null) {
                return found;
            }
        }
        for (int i = 0; value.isArray() && i < value.size(); i++) {
            String found = fieldWithNul(value.get(i), here + "[" + i + "]");
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The tree bound to {@code type} and validated, every error in one ApiException; no tree binds to nulls. */
    public <T extends Record> T bind(JsonNode tree, Class<T> type) {
        Map<String, String> errors = new TreeMap<>();
        T value = collect(tree, type, "", errors);
        if (!errors.isEmpty()) {
            var first = errors.entrySet().iterator().next();
            throw new ApiException(status, error, first.getKey(), first.getKey() + ": " + first.getValue(), errors);
        }
        return value;
    }

    /** Binds and validates without throwing: each problem goes to {@code errors} by its path under {@code prefix}. */
    public <T extends Record> T collect(JsonNode tree, Class<T> type, String prefix, Map<String, String> errors) {
        if (tree != null && !tree.isNull() && !tree.isMissingNode() && !tree.isObject()) {
            errors.put(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1), "must be a JSON object");
        }
        ObjectNode body = tree instanceof ObjectNode object ? object.deepCopy() : mapper.createObjectNode();
        checkTypes(body, type, prefix, errors);
        T value = mapper.convertValue(body, type);
        VALIDATOR.validate(value).forEach(v -> errors.putIfAbsent(prefix + name(v.getPropertyPath()), v.getMessage()));
        return value;
    }

    /** Records each value whose JSON type the component cannot take, and each unknown field; drops them. */
    private void checkTypes(ObjectNode node, Class<?> type, String prefix, Map<String, String> errors) {
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            components.put(naming.apply(c.getName()), c);
        }
        for (Map.Entry<String, JsonNode> field : List.copyOf(node.properties())) {
            String name = field.getKey();
            RecordComponent c = components.get(name);
            JsonNode value = field.getValue();
            if (c == null) {
                if (!unknownFields) {
                    errors.put(prefix + name, "unknown field (allowed: " + String.join(", ", new TreeMap<>(components)
                            .keySet()) + ")");
                }
                node.remove(name);
            } else if (!value.isNull() && c.getType().isRecord() && value.isObject()) {
                checkTypes((ObjectNode) value, c.getType(), prefix + name + ".", errors);
            } else if (!value.isNull() && !fits(value, c.getType(), c.getGenericType())) {
                errors.put(prefix + name, "must be " + describe(c.getType()));
                node.remove(name);
            }
        }
    }

    /** Whether the JSON value suits the component's type: strictly, so 5 is no string and 1.5 no integer. */
    private static boolean fits(JsonNode value, Class<?> type, Type generic) {
        if (type == Integer.class || type == Long.class) {
            return value.isIntegralNumber() && (type == Long.class ? value.canConvertToLong() : value.canConvertToInt());
        }
        if (Collection.class.isAssignableFrom(type)) {
            Type element = generic instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
            boolean fits = value.isArray();
            for (JsonNode e : value) {
                fits &= !(element instanceof Class<?> c) || fits(e, c, c);
            }
            return fits;
        }
        return type == String.class ? value.isTextual() : type == Boolean.class ? value.isBoolean()
                : Number.class.isAssignableFrom(type) ? value.isNumber()
                : Map.class.isAssignableFrom(type) || type.isRecord() ? value.isObject() : true;
    }

    private static String describe(Class<?> type) {
        return type == String.class ? "a string" : type == Boolean.class ? "true or false"
                : type == Integer.class || type == Long.class ? "a whole number"
                : Number.class.isAssignableFrom(type) ? "a number"
                : Collection.class.isAssignableFrom(type) ? "an array of the right type" : "an object";
    }

    /** The JSON path of a violation: the record's component names, in the body's naming. */
    private String name(Path path) {
        StringBuilder out = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getIndex() != null) {
                out.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null && !node.getName().startsWith("<")) {
                out.append(out.isEmpty() ? "" : ".").append(naming.apply(node.getName()));
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }
}
