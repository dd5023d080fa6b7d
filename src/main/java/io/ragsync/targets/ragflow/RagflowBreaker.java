package io.ragsync.targets.ragflow;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.ragsync.jobs.JobErrors;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * RAGFlow's circuit breaker (ragflow-client.camel.yaml) in words: resilience4j's refusal names only the breaker, so
 * an open breaker's jobs, health and log say which failures opened it. Camel's circuitBreaker EIP takes its breakers
 * from the one {@link CircuitBreakerRegistry} bean, whose events this watches; the settings stay in the route.
 */
@Configuration(proxyBeanMethods = false)
public class RagflowBreaker {

    static final String BREAKER = "ragflow-circuit-breaker";
    private static final Logger LOG = LoggerFactory.getLogger(RagflowBreaker.class);

    private volatile String lastFailure = "none recorded";
    private volatile String openedBecause;

    @Bean
    CircuitBreakerRegistry circuitBreakerRegistry() {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
        // Camel creates the breaker when its route starts, again after a restart of the route
        registry.getEventPublisher().onEntryAdded(added -> watch(added.getAddedEntry()));
        return registry;
    }

    void watch(CircuitBreaker breaker) {
        if (!BREAKER.equals(breaker.getName())) {
            return;
        }
        breaker.getEventPublisher()
                .onError(error -> lastFailure = JobErrors.message(error.getThrowable()))
                .onStateTransition(change -> {
                    CircuitBreaker.State to = change.getStateTransition().getToState();
                    if (to == CircuitBreaker.State.OPEN) {
                        CircuitBreaker.Metrics metrics = breaker.getMetrics();
                        openedBecause = metrics.getNumberOfFailedCalls() + " of the last "
                                + metrics.getNumberOfBufferedCalls() + " calls failed, the last: " + lastFailure;
                        long waitSeconds = breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState()
                                .apply(1) / 1000;
                        // once per outage at WARN; a failed probe of a long one at INFO
                        if (change.getStateTransition().getFromState() == CircuitBreaker.State.CLOSED) {
                            LOG.warn("RAGFlow circuit breaker open: {}. RAGFlow calls wait {} s, then a few probe it;"
                                    + " jobs are deferred without using their retries", openedBecause, waitSeconds);
                        } else {
                            LOG.info("RAGFlow still failing, circuit breaker open for another {} s: {}", waitSeconds,
                                    openedBecause);
                        }
                    } else if (to == CircuitBreaker.State.CLOSED) {
                        LOG.info("RAGFlow circuit breaker closed: RAGFlow answers again");
                    }
                });
    }

    /** The refusal's words when {@code failure} (or a cause of it) is the open breaker's refusal, else null. */
    public String refusalOf(Throwable failure) {
        return ObjectHelper.getException(CallNotPermittedException.class, failure) != null ? refusal() : null;
    }

    /** Why calls are refused while the breaker is open (or probing half-open). */
    public String refusal() {
        String why = openedBecause;
        return "RAGFlow is failing: its circuit breaker is open (" + (why == null ? "the last failure: " + lastFailure
                : why) + ")";
    }
}
