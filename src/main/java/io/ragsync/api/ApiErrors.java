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
