package io.ragsync.platform.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.targets.local.RetrievalUnavailableException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** The one renderer of the HTTP APIs' errors, in the push API's shape or the shared one; never a stack trace. */
@Component("apiErrors")
public class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
    private static final String INTERNAL = "the request could not be processed; see the RAGSync log";

    private final ObjectMapper mapper;

    public ApiErrors(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Answers the exception the route caught in the shared shape. */
    public void answer(Exchange exchange) throws JsonProcessingException {
        respond(exchange, resolve(caught(exchange), false), false);
    }

    /** As {@link #answer}, for the backoffice, where an IllegalStateException is a conflict (a disabled source). */
    public void backoffice(Exchange exchange) throws JsonProcessingException {
        respond(exchange, resolve(caught(exchange), true), false);
    }

    /** Answers the exception the push route caught in the push API's shape; only an ApiException says why. */
    public void push(Exchange exchange) throws JsonProcessingException {
        ApiException e = apiCause(caught(exchange));
        respond(exchange, e == null ? internal() : e, true);
    }

    /** The error code for metrics: the ApiException's code, else internal_error. */
    public String pushErrorType(Exchange exchange) {
        ApiException e = apiCause(caught(exchange));
        return e == null ? "internal_error" : e.getError();
    }

    /** The ApiException the failure is, or wraps (a transaction rollback wraps it). */
    static ApiException apiCause(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof ApiException e) {
                return e;
            }
        }
        return null;
    }

    static ApiException resolve(Throwable thrown, boolean conflicts) {
        ApiException api = apiCause(thrown);
        if (api != null) {
            return api;
        }
        if (thrown instanceof JsonProcessingException json) {
            return ApiException.badRequest(null, "malformed JSON: " + json.getOriginalMessage());
        }
        if (thrown instanceof IllegalArgumentException bad) {
            return ApiException.badRequest(null, bad.getMessage());
        }
        if (thrown instanceof SecurityException denied) {
            return new ApiException(403, "forbidden", null, denied.getMessage());
        }
        if (thrown instanceof RetrievalUnavailableException unavailable) {
            LOG.warn("API request cannot be answered now: {}", unavailable.getMessage());
            return new ApiException(503, "unavailable", null, unavailable.getMessage());
        }
        if (conflicts && thrown instanceof IllegalStateException conflict) {
            return new ApiException(409, "conflict", null, conflict.getMessage());
        }
        LOG.error("API request failed: {}", thrown == null ? "unknown" : thrown.toString());
        return internal();
    }

    /** A 500 that names nothing of the failure (the push route logs it itself). */
    private static ApiException internal() {
        return new ApiException(500, "internal_error", null, INTERNAL);
    }

    private static Throwable caught(Exchange exchange) {
        return exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    /** The push shape as a Map (the push route marshals its answers), the shared one as JSON. */
    private void respond(Exchange exchange, ApiException e, boolean pushShape) throws JsonProcessingException {
        Message out = exchange.getMessage();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, e.getStatus());
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(pushShape ? render(e, true) : mapper.writeValueAsString(render(e, false)));
    }

    /** Push: {status:"error", error, message, field?, http_status}; shared: {error, message, field?, fields?}. */
    static Map<String, Object> render(ApiException e, boolean pushShape) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (pushShape) {
            body.put("status", "error");
        }
        body.put("error", e.getError());
        body.put("message", e.getMessage());
        if (e.getField() != null) {
            body.put("field", e.getField());
        }
        if (pushShape) {
            body.put("http_status", e.getStatus());
        } else if (!e.getFields().isEmpty()) {
            body.put("fields", e.getFields());
        }
        return body;
    }

    /** Paths whose errors are JSON in an API family's shape (the push API under /api/internal/ has its own). */
    public static boolean isApiPath(String path) {
        return path != null && (path.startsWith("/api/") || path.startsWith("/ops/api/"));
    }

    /** The error body of a request to an API path refused outside the routes, in its family's shape. */
    public static Map<String, Object> shapeFor(String path, int status, String error, String message) {
        return render(new ApiException(status, error, null, message), path.startsWith("/api/internal/"));
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
            case 500 -> INTERNAL;
            default -> {
                HttpStatus known = HttpStatus.resolve(status);
                yield known == null ? "HTTP " + status : known.getReasonPhrase();
            }
        };
    }
}
