package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The breaker Camel creates from the registry bean reports the failures that opened it; others are not watched. */
class RagflowBreakerTest {

    private final RagflowBreaker breaker = new RagflowBreaker();
    private final CircuitBreakerRegistry registry = breaker.circuitBreakerRegistry();
    private final CircuitBreakerConfig fourCalls = CircuitBreakerConfig.custom().slidingWindowSize(4)
            .minimumNumberOfCalls(4).failureRateThreshold(50).build();

    @Test
    void theRefusalNamesTheFailuresThatOpenedTheBreaker() {
        CircuitBreaker ragflow = registry.circuitBreaker(RagflowBreaker.BREAKER, fourCalls);
        ragflow.onSuccess(1, TimeUnit.MILLISECONDS);
        ragflow.onError(1, TimeUnit.MILLISECONDS, new RagflowTransientException("RAGFlow answered HTTP 503"));
        ragflow.onSuccess(1, TimeUnit.MILLISECONDS);
        assertThat(breaker.refusal()).contains("RAGFlow answered HTTP 503");
        ragflow.onError(1, TimeUnit.MILLISECONDS,
                new IOException("the answer is larger than 16 MB (app.targets.max-answer-size)"));

        assertThat(ragflow.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.refusal()).isEqualTo("RAGFlow is failing: its circuit breaker is open (2 of the last 4"
                + " calls failed, the last: the answer is larger than 16 MB (app.targets.max-answer-size))");
    }

    @Test
    void aBreakerOfAnotherNameIsNotWatched() {
        CircuitBreaker bulkhead = registry.circuitBreaker("ragflow-upload-bulkhead", fourCalls);
        bulkhead.onError(1, TimeUnit.MILLISECONDS, new IOException("upload slot"));

        assertThat(breaker.refusal()).doesNotContain("upload slot");
    }
}
