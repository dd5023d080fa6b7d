package io.ragsync.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Binds a JSON request body to a record and validates it with Bean Validation. A wrong type or a broken
 * constraint becomes an {@link ApiException} naming the field by its JSON path ({@code metadata.file_size}),
 * with every broken constraint in its fields. Binding is strict: no number for a string, no string for a
 * number, no fraction for an integer.
 */
public final class ApiBodies {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();
    private static final ObjectMapper CAMEL = strict(JsonMapper.builder());
    private static final ObjectMapper SNAKE = strict(JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));

    private static final PropertyNamingStrategies.NamingBase SNAKE_NAMES =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private final ObjectMapper mapper;
    private final boolean snakeCase;
    private final boolean unknownFields;
    private final int status;
    private final String error;

    private ApiBodies(boolean snakeCase, boolean unknownFields, int status, String error) {
        this.mapper = snakeCase ? SNAKE : CAMEL;
        this.snakeCase = snakeCase;
        this.unknownFields = unknownFields;
        this.status = status;
        this.error = error;
    }

    /** The push API: snake_case fields, unknown fields ignored, 422 validation_error. */
    public static ApiBodies push() {
        return new ApiBodies(true, true, 422, "validation_error");
    }

    /** The JSON API: camelCase fields, unknown fields refused, 400 bad_request. */
    public static ApiBodies api() {
        return new ApiBodies(false, false, 400, "bad_request");
    }

    private static ObjectMapper strict(JsonMapper.Builder builder) {
        ObjectMapper mapper = builder.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY).build();
        for (CoercionInputShape shape : new CoercionInputShape[] {
                CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }

    /** The tree bound to {@code type} and validated; an empty or missing tree binds to the record's nulls. */
    public <T> T bind(JsonNode tree, Class<T> type) {
        T value;
        try {
            ObjectReader reader = mapper.readerFor(type);
            reader = unknownFields ? reader.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    : reader.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            value = reader.readValue(tree == null || tree.isNull() || tree.isMissingNode() ? mapper.createObjectNode() : tree);
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw new ApiException(status, error, field, field + ": unknown field");
        } catch (JsonMappingException e) {
            String field = path(e);
            throw new ApiException(status, error, field, field + ": has the wrong type");
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed_json", null, "malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new ApiException(400, "malformed_json", null, "unreadable request body");
        }
        Map<String, String> fields = VALIDATOR.validate(value).stream()
                .sorted(Comparator.comparing((ConstraintViolation<T> v) -> v.getPropertyPath().toString()))
                .collect(Collectors.toMap(v -> name(v.getPropertyPath()), ConstraintViolation::getMessage,
                        (a, b) -> a, LinkedHashMap::new));
        if (!fields.isEmpty()) {
            var first = fields.entrySet().iterator().next();
            throw new ApiException(status, error, first.getKey(), first.getKey() + ": " + first.getValue(), fields);
        }
        return value;
    }

    /** The JSON path of a binding failure: {@code metadata.file_size}, {@code items[2]}. */
    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }

    /** The JSON path of a violation: the record's component names, in the body's naming. */
    private String name(Path path) {
        StringBuilder out = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getName() == null) {
                continue;
            }
            String name = snakeCase ? SNAKE_NAMES.translate(node.getName())
                    : node.getName();
            out.append(out.isEmpty() ? "" : ".").append(name);
            if (node.getIndex() != null) {
                out.append('[').append(node.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }
}
