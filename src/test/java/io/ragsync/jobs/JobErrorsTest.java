package io.ragsync.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.language.bean.RuntimeBeanExpressionException;
import org.junit.jupiter.api.Test;

class JobErrorsTest {

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
