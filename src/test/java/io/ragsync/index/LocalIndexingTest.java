package io.ragsync.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalIndexingTest {

    private static LocalIndexing indexing(String mode, String provider) {
        return new LocalIndexing(new TextChunker(), null, new ObjectMapper(), mode, 1000, 200, 1000, 120, 100, provider,
                "nomic-embed-text", 32);
    }

    @Test
    void chunkingModeAndModelNameFollowTheConfiguration() {
        assertThat(indexing("characters", "local").getSettings())
                .isEqualTo(TextChunker.Settings.characters(1000, 200, 100));
        assertThat(indexing("tokens", "local").getSettings()).isEqualTo(TextChunker.Settings.tokens(1000, 120, 100));
        assertThat(indexing("characters", "local").getModelName()).isEqualTo("local:all-minilm-l6-v2");
        assertThat(indexing("characters", "HTTP").getModelName()).isEqualTo("http:nomic-embed-text");
        assertThatThrownBy(() -> indexing("characters", "cohere")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> indexing("words", "local")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chunksBeyondTheMaximumAreCutAndMetadataHashesDiffer() {
        LocalIndexing local = new LocalIndexing(new TextChunker(), null, new ObjectMapper(), "characters", 50, 0, 1000,
                120, 2, "local", "", 32);
        TextChunker.Result chunked = local.chunk("First sentence here is long enough. Second sentence is also long."
                + "\n\nThird paragraph with more words in it. Fourth sentence closes it all.");
        assertThat(chunked.truncated()).isTrue();
        EmbeddingPlan plan = new EmbeddingPlan(chunked.chunks(), java.util.Map.of(), 32);
        plan.accept(0, List.of(new float[] {1, 0}, new float[] {0, 1}));
        assertThat(local.metaHash("{}", "[]", null)).isNotEqualTo(local.metaHash("{}", "[\"hr\"]", null));
        assertThat(LocalIndexing.single("q")).containsExactly("q");
        assertThat(plan.getComputed()).isEqualTo(2);
    }
}
