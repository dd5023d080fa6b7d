package io.ragsync.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.jobs.TargetUnavailableException;
import org.junit.jupiter.api.Test;

class LocalEmbeddingModelTest {

    @Test
    void aLoadFailureNamesItsRootCauseTheHeapAndWhatToDo() {
        Throwable failure = new ExceptionInInitializerError(new IllegalStateException("model file truncated"));
        RuntimeException small = LocalEmbeddingModel.loadFailed(failure, 256L * 1024 * 1024, false);
        assertThat(small).isInstanceOf(PermanentSyncException.class);
        assertThat(small.getMessage()).contains("IllegalStateException: model file truncated").contains("256 MB")
                .contains("-Xmx" + LocalEmbeddingModel.REQUIRED_HEAP_MB + "m");

        assertThat(LocalEmbeddingModel.loadFailed(new OutOfMemoryError("Java heap space"), 256L * 1024 * 1024, false)
                .getMessage()).contains("OutOfMemoryError: Java heap space");
    }

    /** Heap advice only where the heap is short of what the model needs: beyond it, the advice would be false. */
    @Test
    void aLoadFailureWithHeapEnoughGivesNoHeapAdvice() {
        RuntimeException failure = LocalEmbeddingModel.loadFailed(
                new IllegalStateException("model file truncated"), 768L * 1024 * 1024, false);
        assertThat(failure).isInstanceOf(PermanentSyncException.class);
        assertThat(failure.getMessage()).contains("model file truncated").doesNotContain("-Xmx")
                .doesNotContain("it needs");
    }

    /** A load cut short by the JVM's stop (its runtime adds a shutdown hook) is retried, not failed for good. */
    @Test
    void aLoadCutShortByTheJvmsStopIsRetried() {
        RuntimeException failure = LocalEmbeddingModel.loadFailed(
                new IllegalStateException("Shutdown in progress"), 768L * 1024 * 1024, true);
        assertThat(failure).isInstanceOf(TargetUnavailableException.class).isNotInstanceOf(PermanentSyncException.class);
        assertThat(failure.getMessage()).contains("the hub is stopping").contains("Shutdown in progress")
                .doesNotContain("-Xmx");
    }
}
