package io.ragsync.platform.api;

import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.springframework.stereotype.Component;

/**
 * The header filter of every platform-http endpoint (camel.component.platform-http.header-filter-strategy): an HTTP
 * answer carries only the headers a route sets for it, never a request header or query parameter that became a
 * message header on the way in.
 */
@Component("answerHeaders")
public class AnswerHeaders implements HeaderFilterStrategy {

    /**
     * The message headers written into an answer. Content-Type is not among them: the binding writes it itself;
     * Content-Encoding is, as the binding compresses the body when the message says gzip. Cache-Control stays
     * Spring Security's (no-cache, no-store, ...), written before a route runs: a route's would be a second one.
     */
    static final Set<String> ANSWER = Set.of("content-disposition", "content-encoding", "location", "retry-after");

    /** Camel's own HTTP filter: Camel* headers and parameters of any casing stay out, as before. */
    private final HeaderFilterStrategy camelHeaders = new HttpHeaderFilterStrategy();

    /** Message header to answer: only the answer headers pass. */
    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return !ANSWER.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Request header or query parameter to message: an answer header never comes from the request (it would pass
     * into the answer), nor Content-Type, which the binding then sets from the request's own header alone.
     */
    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        String lower = name.toLowerCase(Locale.ROOT);
        return ANSWER.contains(lower) || lower.equals("content-type")
                || camelHeaders.applyFilterToExternalHeaders(name, value, exchange);
    }
}
