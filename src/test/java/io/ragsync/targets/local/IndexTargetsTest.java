package io.ragsync.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IndexTargetsTest {

    @Test
    void defaultTargetFollowsTheRagflowKeyUnlessConfigured() {
        assertThat(IndexTargets.resolve("", false)).isEqualTo("local");
        assertThat(IndexTargets.resolve(null, true)).isEqualTo("ragflow");
        assertThat(IndexTargets.resolve(" LOCAL ", true)).isEqualTo("local");
        assertThat(IndexTargets.resolve("ragflow", false)).isEqualTo("ragflow");
        assertThat(IndexTargets.resolve("LightRAG", true)).isEqualTo("lightrag");
        assertThatThrownBy(() -> IndexTargets.resolve("elastic", false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RAGSYNC_TARGET");
    }

    @Test
    void vectorLiteralsPerStorageMode() {
        float[] v = {0.5f, -1f};
        assertThat(ChunkStore.literal(v, ChunkStore.Mode.PGVECTOR)).isEqualTo("[0.5,-1.0]");
        assertThat(ChunkStore.literal(v, ChunkStore.Mode.ARRAY)).isEqualTo("{0.5,-1.0}");
        assertThatThrownBy(() -> ChunkStore.literal(new float[] {Float.NaN}, ChunkStore.Mode.ARRAY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ChunkStore.compareVersions("0.8.0", "0.8.0")).isZero();
        assertThat(ChunkStore.compareVersions("0.7.4", "0.8.0")).isNegative();
        assertThat(ChunkStore.compareVersions("0.10.1", "0.8.0")).isPositive();
    }
}
