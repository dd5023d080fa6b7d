package io.ragsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.targets.local.LocalEmbeddingModel;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class StartupReportTest {

    private static final long MB = 1024 * 1024;

    @Test
    void warnsOnlyWhenTheInProcessModelIsInUseAndTheHeapIsBelowItsNeed() {
        StartupReport local = report("local");
        assertThat(local.heapWarning(true, 256 * MB)).hasValueSatisfying(w -> assertThat(w).contains("256 MB"));
        assertThat(local.heapWarning(true, LocalEmbeddingModel.REQUIRED_HEAP_MB * MB)).isEmpty();
        assertThat(local.heapWarning(false, 256 * MB)).isEmpty();
        assertThat(report("http").heapWarning(true, 256 * MB)).isEmpty();
    }

    private static StartupReport report(String embeddingProvider) {
        return new StartupReport(null, null, null, null,
                new MockEnvironment().withProperty("app.index.embedding.provider", embeddingProvider));
    }
}
