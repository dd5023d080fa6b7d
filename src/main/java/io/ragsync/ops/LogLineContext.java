package io.ragsync.ops;

import java.util.Arrays;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelLogger;
import org.apache.camel.spi.LogListener;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Fills the logging MDC for exactly the duration of one route log line (Camel's Log EIP): camel.exchangeId,
 * camel.routeId, camel.contextId and the configured exchange properties (those that are set). Nothing is
 * done for the many processor steps that do not log, unlike an MDC wrapped around every step, which cost
 * about a tenth of the hub's CPU in a bulk sync (bench/README.md). The properties are app.ops.log.mdc-properties
 * (jobId, documentId, op, target, outcome...): the one line per sync attempt (routes/jobs/sync-job.camel.yaml,
 * job-report) carries them as separate fields in the JSON log format (LOG_FORMAT=ecs|logstash|gelf). Camel adds
 * every LogListener bean to its context at start-up.
 */
@Component
public final class LogLineContext implements LogListener {

    static final String EXCHANGE_ID = "camel.exchangeId";
    static final String ROUTE_ID = "camel.routeId";
    static final String CONTEXT_ID = "camel.contextId";

    private final List<String> properties;

    /** @param properties comma-separated exchange property names to copy (blank: none) */
    public LogLineContext(@Value("${app.ops.log.mdc-properties:}") String properties) {
        this.properties = properties == null || properties.isBlank() ? List.of()
                : Arrays.stream(properties.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
    }

    @Override
    public String onLog(Exchange exchange, CamelLogger camelLogger, String message) {
        MDC.put(EXCHANGE_ID, exchange.getExchangeId());
        String routeId = exchange.getFromRouteId();
        if (routeId != null) {
            MDC.put(ROUTE_ID, routeId);
        }
        MDC.put(CONTEXT_ID, exchange.getContext().getName());
        for (String property : properties) {
            Object value = exchange.getProperty(property);
            if (value != null) {
                MDC.put(property, value.toString());
            }
        }
        return message;
    }

    @Override
    public void afterLog(Exchange exchange, CamelLogger camelLogger, String message) {
        MDC.remove(EXCHANGE_ID);
        MDC.remove(ROUTE_ID);
        MDC.remove(CONTEXT_ID);
        properties.forEach(MDC::remove);
    }
}
