package io.ragsync.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** JSON error bodies for the HTTP APIs: the error's message, properly escaped, never a stack trace. */
@Component("apiErrors")
public class ApiErrors {

    private final ObjectMapper mapper;

    public ApiErrors(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String badRequest(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String message = cause instanceof JsonProcessingException json
                ? "malformed JSON: " + json.getOriginalMessage()
                : cause == null ? "bad request" : cause.getMessage();
        return json("bad_request", message);
    }

    public String forbidden(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        return json("forbidden", cause == null ? "forbidden" : cause.getMessage());
    }

    public String serverError(Exchange exchange) {
        return json("internal_error", "the request could not be processed; see the RAGSync log");
    }

    /** The push API's error shape: {status:"error", error, message, field?, http_status}. */
    public static Map<String, Object> push(int status, String error, String field, String message) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "error");
        answer.put("error", error);
        answer.put("message", message);
        if (field != null) {
            answer.put("field", field);
        }
        answer.put("http_status", status);
        return answer;
    }

    /** Paths whose errors are JSON in an API family's shape (the push API under /api/internal/ has its own). */
    public static boolean isApiPath(String path) {
        return path != null && (path.startsWith("/api/") || path.startsWith("/ops/api/"));
    }

    /** The error body of a request to an API path: the push API's shape or {error, message}. */
    public static Map<String, Object> shapeFor(String path, int status, String error, String message) {
        if (path.startsWith("/api/internal/")) {
            return push(status, error, null, message);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        return body;
    }

    /** The error code of an HTTP status refused outside the routes: its reason phrase in snake case. */
    public static String code(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return status == 500 ? "internal_error" : known == null ? "http_" + status
                : known.getReasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    /** What a caller refused outside the routes is told: what to change, never server internals. */
    public static String message(int status) {
        return switch (status) {
            case 400 -> "the request is malformed";
            case 404 -> "no such endpoint";
            case 405 -> "this method is not allowed on this endpoint";
            case 406 -> "the answer is JSON (Accept: application/json)";
            case 415 -> "the request body must be JSON (Content-Type: application/json)";
            case 500 -> "the request could not be processed; see the RAGSync log";
            default -> {
                HttpStatus known = HttpStatus.resolve(status);
                yield known == null ? "HTTP " + status : known.getReasonPhrase();
            }
        };
    }

    public String json(String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
