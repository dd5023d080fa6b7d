package io.ragsync.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
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

    public String serverError(Exchange exchange) {
        return json("internal_error", "the request could not be processed; see the RAGSync log");
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
