package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** A request's own redeliveries start from zero and leave the job's counters as they found them. */
class RedeliveryCountersTest {

    private final RedeliveryCounters counters = new RedeliveryCounters();

    @Test
    void theJobsCountersAreParkedForTheRequestAndPutBackAfterIt() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, 2);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_MAX_COUNTER, 4);
        exchange.getMessage().setHeader(Exchange.REDELIVERED, true);

        counters.park(exchange);
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKeys(Exchange.REDELIVERY_COUNTER,
                Exchange.REDELIVERY_MAX_COUNTER, Exchange.REDELIVERED);
        // the request's own retries count in the same headers
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, 1);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_MAX_COUNTER, 2);
        exchange.getMessage().setHeader(Exchange.REDELIVERED, true);

        counters.restore(exchange);
        assertThat(exchange.getMessage().getHeaders()).containsEntry(Exchange.REDELIVERY_COUNTER, 2)
                .containsEntry(Exchange.REDELIVERY_MAX_COUNTER, 4).containsEntry(Exchange.REDELIVERED, true);
    }

    @Test
    void aRequestKeepsNoHeaderOfTheCallerButTheCounters() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, 2);
        exchange.getMessage().setHeader(Exchange.REDELIVERED, true);
        exchange.getMessage().setHeader("Authorization", "Bearer caller");
        exchange.getMessage().setHeader(Exchange.HTTP_URI, "http://elsewhere");
        exchange.getMessage().setHeader("CamelRedeliveryDelay", 10);

        counters.keepOnly(exchange);
        assertThat(exchange.getMessage().getHeaders()).containsOnlyKeys(Exchange.REDELIVERY_COUNTER,
                Exchange.REDELIVERED, Exchange.REDELIVERY_DELAY);
    }

    @Test
    void aFirstAttemptStaysWithoutCounters() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        counters.park(exchange);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, 2);
        counters.restore(exchange);
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKey(Exchange.REDELIVERY_COUNTER);
    }
}
