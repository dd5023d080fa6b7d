package io.ragsync.platform.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** The operator's HTTP API of the machine credentials; the key appears only in a creation's or rotation's answer. */
@Component("apiCredentialsApi")
public class ApiCredentialsApi {

    private final ApiCredentials credentials;
    private final ObjectMapper mapper;

    public ApiCredentialsApi(ApiCredentials credentials, ObjectMapper mapper) {
        this.credentials = credentials;
        this.mapper = mapper;
    }

    public List<ApiCredentials.Credential> list() {
        return credentials.list();
    }

    public ApiCredentials.Issued create(Exchange exchange) {
        ApiCredentials.Request body;
        try {
            body = mapper.readValue(exchange.getIn().getBody(byte[].class), ApiCredentials.Request.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the body must be {\"name\",\"tenant\",\"roles\",\"rights\","
                    + "\"actsForUsers\"?,\"expiresAt\"?}");
        }
        ApiCredentials.Issued issued = credentials.create(body);
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        return issued;
    }

    public Object rotate(Exchange exchange) {
        long grace = exchange.getIn().getHeader("graceSeconds") == null ? 0 : number(exchange, "graceSeconds");
        return answer(exchange, credentials.rotate(number(exchange, "id"), grace));
    }

    public Object revoke(Exchange exchange) {
        long id = number(exchange, "id");
        return answer(exchange, credentials.revoke(id) ? credentials.find(id) : Optional.empty());
    }

    private static Object answer(Exchange exchange, Optional<?> found) {
        if (found.isEmpty()) {
            exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            return Map.of("error", "not_found", "message", "no active credential with that id");
        }
        return found.get();
    }

    private static long number(Exchange exchange, String name) {
        String value = exchange.getIn().getHeader(name, String.class);
        if (value == null || !value.matches("\\d{1,18}")) {
            throw new IllegalArgumentException(name + " must be a non-negative number");
        }
        return Long.parseLong(value);
    }
}
