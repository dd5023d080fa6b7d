package io.ragsync.targets.ragflow;

import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Parks the job's CamelRedelivery* headers during a RAGFlow request's own retries and puts them back after it:
 * a nested redelivery would otherwise start from the job's count and leave its own behind.
 */
@Component("redeliveryCounters")
public class RedeliveryCounters {

    static final String VARIABLE = "jobRedeliveryHeaders";
    private static final String[] HEADERS = {Exchange.REDELIVERY_COUNTER, Exchange.REDELIVERY_MAX_COUNTER, Exchange.REDELIVERED};

    /** Every header but CamelRedelivery*: removeHeaders' exclude pattern is a regex compiled per header and call. */
    public void keepOnly(Exchange exchange) {
        exchange.getMessage().getHeaders().keySet().removeIf(name -> !name.equalsIgnoreCase(Exchange.REDELIVERED)
                && !name.regionMatches(true, 0, "CamelRedelivery", 0, 15));
    }

    public void park(Exchange exchange) {
        Map<String, Object> parked = new HashMap<>();
        for (String header : HEADERS) {
            Object value = exchange.getMessage().removeHeader(header);
            if (value != null) {
                parked.put(header, value);
            }
        }
        exchange.setVariable(VARIABLE, parked);
    }

    @SuppressWarnings("unchecked")
    public void restore(Exchange exchange) {
        for (String header : HEADERS) {
            exchange.getMessage().removeHeader(header);
        }
        Object parked = exchange.removeVariable(VARIABLE);
        if (parked instanceof Map<?, ?> headers) {
            ((Map<String, Object>) headers).forEach(exchange.getMessage()::setHeader);
        }
    }
}
