package io.ragsync.targets.lightrag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ragsync.jobs.TargetBusyException;
import org.junit.jupiter.api.Test;

/** A busy LightRAG defers its job with the job flow's own exception, not with a RAGFlow one. */
class LightragBusyTest {

    @Test
    void aBusyPipelineDefersWithTheJobsExceptionAndNoRagflowType() {
        assertThatThrownBy(() -> new LightragApi("", 5000).stillProcessing(null))
                .hasFieldOrPropertyWithValue("retryAfterSeconds", 5L)
                .satisfies(e -> assertThat(e.getClass().getPackageName()).isEqualTo("io.ragsync.jobs"))
                .isInstanceOf(TargetBusyException.class);
    }
}
