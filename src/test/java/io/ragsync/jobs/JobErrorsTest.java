package io.ragsync.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.ragsync.targets.ragflow.RagflowBreaker;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.language.bean.RuntimeBeanExpressionException;
import org.junit.jupiter.api.Test;

class JobErrorsTest {

    private final RagflowBreaker breaker = new RagflowBreaker();
    private final JobErrors errors = new JobErrors(breaker);

    @Test
    void aDeferralFollowsTheWaitTheTargetAskedForElseTheBreakersOpenTime() {
        assertThat(errors.deferral(new TargetBusyException("HTTP 429, Retry-After 7 s", 7), 30))
                .isEqualTo(new JobErrors.Deferral("HTTP 429, Retry-After 7 s", 7));
        assertThat(errors.deferral(new TargetBusyException("busy", 0), 30).seconds()).isEqualTo(1);
        assertThat(errors.deferral(new IllegalStateException("breaker open"), 30).seconds()).isEqualTo(30);
        // a wait asked for inside a wrapper still counts
        assertThat(errors.deferral(new CamelExecutionException("failed", null,
                new TargetBusyException("LightRAG is processing", 5)), 30).seconds()).isEqualTo(5);
    }

    @Test
    void anOpenBreakersRefusalSaysWhatOpenedIt() {
        CallNotPermittedException refused = CallNotPermittedException.createCallNotPermittedException(
                CircuitBreaker.ofDefaults("ragflow-circuit-breaker"));
        JobErrors.Deferral deferral = errors.deferral(new CamelExecutionException("failed", null, refused), 30);
        assertThat(deferral.message()).isEqualTo(breaker.refusal()).startsWith("RAGFlow is failing");
        assertThat(deferral.seconds()).isEqualTo(30);
    }

    @Test
    void camelAndReflectionWrappersGiveWayToTheFailureInside() {
        PermanentSyncException cause = new PermanentSyncException("unsupported file type application/x-msdownload");
        Throwable wrapped = new CamelExecutionException("Exception occurred during execution on the exchange", null,
                new RuntimeBeanExpressionException(null, "textExtractor", "extract(${exchangeProperty.file})",
                        new InvocationTargetException(cause)));

        assertThat(JobErrors.message(wrapped)).isEqualTo("unsupported file type application/x-msdownload");
        assertThat(JobErrors.rootCause(wrapped)).isSameAs(cause);
    }

    @Test
    void anExceptionThatOnlyRepeatsItsCauseIsSkipped() {
        IOException io = new IOException("Connection reset");
        assertThat(JobErrors.message(new IllegalStateException(new RuntimeException(io)))).isEqualTo("Connection reset");
    }

    @Test
    void aFailureWithItsOwnWordsKeepsThemOverItsCause() {
        Throwable worded = new DownloadFailedException("cannot read docs/a.txt: permission denied");
        worded.initCause(new IOException("EACCES"));
        assertThat(JobErrors.message(worded)).isEqualTo("cannot read docs/a.txt: permission denied");
    }

    @Test
    void aFailureWithoutMessageIsNamedByItsType() {
        assertThat(JobErrors.message(new CamelExecutionException("failed", null, new NullPointerException())))
                .isEqualTo("NullPointerException");
        assertThat(JobErrors.message((Throwable) null)).isNull();
    }
}
