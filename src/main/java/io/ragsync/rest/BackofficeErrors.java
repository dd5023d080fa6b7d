package io.ragsync.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * JSON answers of the backoffice API's errors (routeConfiguration backoffice-errors): 401/403 from the guard,
 * 400 with one message per bad field, 404 unknown source, 409 disabled source, 500 without details.
 */
@Component("backofficeErrors")
public class BackofficeErrors {

    private static final Logger LOG = LoggerFactory.getLogger(BackofficeErrors.class);
    private final ObjectMapper mapper;

    public BackofficeErrors(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void answer(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Map<String, Object> body = new LinkedHashMap<>();
        int status;
        if (e instanceof BackofficeAccessException access) {
            status = access.getHttpStatus();
            body.put("error", access.getError());
            body.put("message", access.getMessage());
        } else if (e instanceof RestConfigException config) {
            status = 400;
            body.put("error", "invalid_source");
            body.put("message", config.getMessage());
            body.put("fields", config.getFieldErrors());
        } else if (e instanceof JsonProcessingException json) {
            status = 400;
            body.put("error", "bad_request");
            body.put("message", "malformed JSON: " + json.getOriginalMessage());
        } else if (e instanceof IllegalArgumentException bad) {
            status = 400;
            body.put("error", "bad_request");
            body.put("message", bad.getMessage());
        } else if (e instanceof RestSourceNotFoundException missing) {
            status = 404;
            body.put("error", "not_found");
            body.put("message", missing.getMessage());
        } else if (e instanceof IllegalStateException conflict) {
            status = 409;
            body.put("error", "conflict");
            body.put("message", conflict.getMessage());
        } else {
            status = 500;
            LOG.error("backoffice request failed: {}", e == null ? "unknown" : e.toString());
            body.put("error", "internal_error");
            body.put("message", "the request could not be processed; see the RAGSync log");
        }
        Message out = exchange.getMessage();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            out.setBody(mapper.writeValueAsString(body));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The one source of sql/rest/select-rest-sources.sql (a JSON array in the body), or a 404. */
    public String single(Exchange exchange) {
        String array = exchange.getMessage().getBody(String.class);
        Object sourceId = exchange.getProperty("sourceId");
        try {
            var node = mapper.readTree(array);
            if (!node.isArray() || node.isEmpty()) {
                throw new RestSourceNotFoundException("no REST source " + sourceId);
            }
            return mapper.writeValueAsString(node.get(0));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
