package io.ragsync.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddingPlanTest {

    private static TextChunker.Chunk chunk(int i, String text) {
        return new TextChunker.Chunk(i, text, TextChunker.sha256(text), text.length());
    }

    @Test
    void reusesKnownHashesAndBatchesTheRest() {
        List<TextChunker.Chunk> chunks = List.of(chunk(0, "a"), chunk(1, "b"), chunk(2, "c"), chunk(3, "d"), chunk(4, "e"));
        float[] known = {0.6f, 0.8f};
        EmbeddingPlan plan = new EmbeddingPlan(chunks, Map.of(TextChunker.sha256("c"), known), 2);
        assertThat(plan.getReused()).isEqualTo(1);
        assertThat(plan.getMissing()).isEqualTo(4);
        assertThat(plan.getBatchCount()).isEqualTo(2);
        assertThat(plan.batchTexts(0)).containsExactly("a", "b");
        assertThat(plan.batchTexts(1)).containsExactly("d", "e");
        plan.accept(0, List.of(new float[] {3, 4}, new float[] {0, 2}));
        assertThatThrownBy(plan::vectors).isInstanceOf(IllegalStateException.class);
        plan.accept(1, List.of(new float[] {1, 0}, new float[] {0, 1}));
        assertThat(plan.getComputed()).isEqualTo(4);
        assertThat(plan.vectors().get(0)).containsExactly(new float[] {0.6f, 0.8f}, within(1e-6f));
        assertThat(plan.vectors().get(1)).containsExactly(0f, 1f);
        assertThat(plan.vectors().get(2)).isSameAs(known);
        assertThatThrownBy(() -> plan.accept(0, List.of(new float[] {1, 0}))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> plan.batchTexts(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void nothingToEmbedMeansNoBatch() {
        assertThat(new EmbeddingPlan(List.of(), Map.of(), 32).getBatchCount()).isZero();
        assertThatThrownBy(() -> new EmbeddingPlan(List.of(), Map.of(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(EmbeddingPlan.normalize(new float[] {0, 0})).containsExactly(0f, 0f);
    }
}
