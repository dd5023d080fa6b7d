package io.ragsync.targets.ragflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.ragsync.jobs.PermanentSyncException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Reads a RAGFlow answer the way RAGFlow really answers (see docs/ragflow-contract in the README):
 * application errors arrive as HTTP 200 with a non-zero {@code code}, so the HTTP status alone says little.
 * Returns the envelope as a Map ({@code code}, {@code message}, {@code data}) or throws a classified exception:
 * {@link RagflowConfigException} (no retry), {@link RagflowTransientException} (retry later) or
 * {@link RagflowApiException} (permanent). Codes listed in the exchange property {@code ragflowAccept}
 * (comma separated) are returned instead of thrown, so a route can treat e.g. 102 "not found" as absent.
 */
@Component("ragflowResponses")
public class RagflowResponses {

    public static final String ACCEPT_PROPERTY = "ragflowAccept";
    /** The answer's code and message as plain properties: routes read them without Simple's bean language. */
    public static final String CODE_PROPERTY = "ragflowCode";
    public static final String MESSAGE_PROPERTY = "ragflowMessage";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final Set<Integer> TRANSIENT_CODES = Set.of(105, 106);
    private static final Set<Integer> AUTH_CODES = Set.of(109, 401);

    /** Built once: resolving the Map type on every read cost a fifth of the parse. */
    private final ObjectReader envelopeReader;

    public RagflowResponses(ObjectMapper mapper) {
        this.envelopeReader = mapper.readerFor(MAP);
    }

    public Map<String, Object> check(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String body = exchange.getMessage().getBody(String.class);
        String retryAfter = exchange.getMessage().getHeader("Retry-After", String.class);
        String accept = exchange.getProperty(ACCEPT_PROPERTY, String.class);
        Map<String, Object> envelope = check(status == null ? 0 : status, body, retryAfter, accept);
        exchange.setProperty(CODE_PROPERTY, envelope.get("code"));
        exchange.setProperty(MESSAGE_PROPERTY, envelope.get("message"));
        return envelope;
    }

    /**
     * The part of {@link #check} that says whether RAGFlow itself is unavailable (HTTP 408/425/429/5xx, with
     * or without Retry-After): run inside the circuit breaker, so only these failures count against it.
     */
    public void checkAvailable(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        checkAvailable(status == null ? 0 : status, exchange.getMessage().getHeader("Retry-After", String.class));
    }

    static void checkAvailable(int status, String retryAfter) {
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            long wait = retryAfterSeconds(retryAfter);
            if (retryAfter != null && !retryAfter.isBlank()) {
                throw new RagflowBackoffException("RAGFlow answered HTTP " + status + " with Retry-After " + wait + " s", wait);
            }
            throw new RagflowTransientException("RAGFlow answered HTTP " + status, 0);
        }
    }

    Map<String, Object> check(int status, String body, String retryAfter, String accept) {
        if (status == 401 || status == 403) {
            throw new RagflowConfigException("RAGFlow rejected the API key (HTTP " + status + ")");
        }
        if (status == 404) {
            throw new RagflowConfigException("RAGFlow answered HTTP 404 for an API path: check app.ragflow.base-url");
        }
        checkAvailable(status, retryAfter);
        if (status < 200 || status >= 300) {
            throw new PermanentSyncException("RAGFlow answered HTTP " + status);
        }
        Map<String, Object> envelope = parse(body);
        Object rawCode = envelope.get("code");
        if (!(rawCode instanceof Number)) {
            throw new RagflowTransientException("RAGFlow answer without a numeric code", 0);
        }
        int code = ((Number) rawCode).intValue();
        String message = String.valueOf(envelope.getOrDefault("message", ""));
        if (code == 0) {
            // up to v0.24 a missing key answers code 0 with data:false
            if (Boolean.FALSE.equals(envelope.get("data")) && looksLikeAuth(message)) {
                throw new RagflowConfigException("RAGFlow rejected the API key: " + message);
            }
            return envelope;
        }
        if (AUTH_CODES.contains(code)) {
            throw new RagflowConfigException("RAGFlow rejected the API key (code " + code + "): " + message);
        }
        if (accepted(accept).contains(code)) {
            return envelope;
        }
        if (TRANSIENT_CODES.contains(code)) {
            throw new RagflowTransientException("RAGFlow error " + code + ": " + message, 0);
        }
        if (code == 100) {
            // code 100 wraps any unhandled server exception; 405/413/ValueError are not going to change
            if (message.contains("405") || message.contains("413") || message.startsWith("ValueError")) {
                throw new RagflowApiException(code, message);
            }
            throw new RagflowTransientException("RAGFlow error " + code + ": " + message, 0);
        }
        if (code == 500 && !isPerFileRejection(message)) {
            throw new RagflowTransientException("RAGFlow error " + code + ": " + message, 0);
        }
        throw new RagflowApiException(code, message);
    }

    private Map<String, Object> parse(String body) {
        if (body == null || body.isBlank()) {
            throw new RagflowTransientException("RAGFlow answered with an empty body", 0);
        }
        try {
            return envelopeReader.readValue(body);
        } catch (JsonProcessingException e) {
            throw new RagflowTransientException("RAGFlow answered with something that is not JSON (a proxy page?)", 0);
        }
    }

    private static boolean looksLikeAuth(String message) {
        String m = message.toLowerCase();
        return m.contains("authorization") || m.contains("api key") || m.contains("authentication");
    }

    private static boolean isPerFileRejection(String message) {
        return message.contains("has not been supported") || message.contains("File name must be")
                || message.contains("No file");
    }

    private static Set<Integer> accepted(String accept) {
        if (accept == null || accept.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(accept.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(Integer::valueOf).collect(Collectors.toSet());
    }

    /** Seconds a transient failure asked us to wait (Retry-After), 0 for any other failure. */
    public long retryAfterSeconds(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        return cause instanceof RagflowTransientException t ? t.getRetryAfterSeconds() : 0;
    }

    /**
     * How long to defer a job kept from RAGFlow: what Retry-After asked for (at least 1 s), else (open
     * circuit breaker) the breaker's open time, after which it lets probe calls through.
     */
    public long deferSeconds(Exchange exchange, long breakerOpenSeconds) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        return deferSeconds(cause, breakerOpenSeconds);
    }

    static long deferSeconds(Exception cause, long breakerOpenSeconds) {
        if (cause instanceof RagflowBackoffException backoff) {
            return Math.max(1, backoff.getRetryAfterSeconds());
        }
        return Math.max(1, breakerOpenSeconds);
    }

    static long retryAfterSeconds(String retryAfter) {
        if (retryAfter == null || retryAfter.isBlank()) {
            return 0;
        }
        String value = retryAfter.trim();
        try {
            return Math.max(0, Long.parseLong(value));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).getSeconds());
            } catch (DateTimeParseException notDate) {
                return 0;
            }
        }
    }
}
