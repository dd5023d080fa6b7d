package io.ragsync.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalEmbeddingModelTest {

    @Test
    void aLoadFailureNamesItsRootCauseTheHeapAndWhatToDo() {
        Throwable failure = new ExceptionInInitializerError(new IllegalStateException("model file truncated"));
        String message = LocalEmbeddingModel.loadFailed(failure, 256L * 1024 * 1024).getMessage();
        assertThat(message).contains("IllegalStateException: model file truncated").contains("256 MB")
                .contains("-Xmx" + LocalEmbeddingModel.REQUIRED_HEAP_MB + "m");

        assertThat(LocalEmbeddingModel.loadFailed(new OutOfMemoryError("Java heap space"), 256L * 1024 * 1024)
                .getMessage()).contains("OutOfMemoryError: Java heap space");
    }
}
