package io.ragsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogLineContextTest {

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void fillsTheMdcForOneLogLineOnlyAndSkipsUnsetProperties() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getCamelContextExtension().setName("hub");
            Exchange exchange = new DefaultExchange(camel);
            exchange.getExchangeExtension().setFromRouteId("job-report");
            exchange.setProperty("jobId", 42L);
            exchange.setProperty("outcome", "indexed");
            MDC.put("unrelated", "kept");
            LogLineContext context = new LogLineContext(" jobId, documentId ,outcome,");

            assertThat(context.onLog(exchange, null, "sync job=42")).isEqualTo("sync job=42");
            assertThat(MDC.getCopyOfContextMap()).containsEntry("jobId", "42").containsEntry("outcome", "indexed")
                    .containsEntry("camel.exchangeId", exchange.getExchangeId()).containsEntry("camel.routeId", "job-report")
                    .containsEntry("camel.contextId", "hub").doesNotContainKey("documentId");

            context.afterLog(exchange, null, "sync job=42");
            assertThat(MDC.getCopyOfContextMap()).containsOnlyKeys("unrelated");
        }
    }

    @Test
    void noPropertiesConfiguredStillNamesTheExchange() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.setProperty("jobId", 1);
            LogLineContext context = new LogLineContext("");
            context.onLog(exchange, null, "m");
            assertThat(MDC.getCopyOfContextMap()).containsKey("camel.exchangeId").doesNotContainKey("jobId")
                    .doesNotContainKey("camel.routeId");
            context.afterLog(exchange, null, "m");
            assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
        }
    }
}
