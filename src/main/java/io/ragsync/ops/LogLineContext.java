package io.ragsync.ops;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelLogger;
import org.apache.camel.spi.LogListener;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Fills the MDC only for the duration of one Log EIP line (exchange, route, context and app.ops.log.mdc-properties):
 * an MDC wrapped around every processor step cost about a tenth of the hub's CPU in a bulk sync.
 */
@Component
public final class LogLineContext implements LogListener {

    static final String EXCHANGE_ID = "camel.exchangeId";
    static final String ROUTE_ID = "camel.routeId";
    static final String CONTEXT_ID = "camel.contextId";

    private final List<String> properties;

    public LogLineContext(@Value("${app.ops.log.mdc-properties:}") String properties) {
        this.properties = List.of(StringUtils.tokenizeToStringArray(properties, ","));
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
