package io.ragsync.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.Set;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Typed, strictly checked parameters of the operator actions of the JSON API; anything else is an
 * IllegalArgumentException (400 with the field named).
 */
@Component("apiRequests")
public class ApiRequests {

    /** {@code POST /api/jobs/requeue}: which ended jobs run again (null = every requeueable status). */
    public record Requeue(String status, Long documentId) {
    }

    private static final Set<String> REQUEUEABLE = Set.of("failed", "config_error", "download_failed", "truncated");

    private final ObjectMapper strict;

    public ApiRequests(ObjectMapper mapper) {
        this.strict = mapper.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    /** The reconciliation's dryRun: a dry run unless exactly {@code false} is sent; anything but true/false is 400. */
    public boolean dryRun(Exchange exchange) {
        String value = exchange.getIn().getHeader("dryRun", String.class);
        if (value == null || value.equals("true")) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException("dryRun must be true or false");
    }

    /** The requeue body; malformed JSON reaches the api-errors handler, which answers it as 400. */
    public Requeue requeue(Exchange exchange) throws IOException {
        byte[] body = exchange.getIn().getBody(byte[].class);
        if (body == null || body.length == 0) {
            return new Requeue(null, null);
        }
        Requeue request;
        try {
            request = strict.readValue(body, Requeue.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("unknown field " + e.getPropertyName() + ": the body is {\"status\"?,"
                    + " \"documentId\"?}");
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "body" : e.getPath().get(0).getFieldName();
            throw new IllegalArgumentException(field + " has the wrong type: status is a string, documentId a number");
        }
        if (request == null) {
            return new Requeue(null, null);
        }
        if (request.status() != null && !REQUEUEABLE.contains(request.status())) {
            throw new IllegalArgumentException("status must be one of failed, config_error, download_failed, truncated");
        }
        if (request.documentId() != null && request.documentId() <= 0) {
            throw new IllegalArgumentException("documentId must be a positive number");
        }
        return request;
    }
}
