package io.ragsync.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class LocalIndexingTest {

    private static LocalIndexing indexing(String mode, String provider) {
        return indexing(new LocalIndexing.ChunkingSettings(mode, 1000, 200, 1000, 120, 100), provider);
    }

    private static LocalIndexing indexing(LocalIndexing.ChunkingSettings chunking, String provider) {
        return new LocalIndexing(new TextChunker(), null, new ObjectMapper(), null, chunking,
                new LocalIndexing.EmbeddingSettings(provider, 384, 32,
                        new LocalIndexing.EmbeddingSettings.Http("", "nomic-embed-text", "", 60000)));
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
    void settingsBindTheApplicationYamlNamesWithTheirDefaults() {
        Binder none = new Binder(new MapConfigurationPropertySource(Map.of()));
        assertThat(none.bindOrCreate("app.index.chunking", LocalIndexing.ChunkingSettings.class))
                .isEqualTo(new LocalIndexing.ChunkingSettings("characters", 1000, 200, 1000, 120, 100));
        assertThat(none.bindOrCreate("app.index.embedding", LocalIndexing.EmbeddingSettings.class)).isEqualTo(
                new LocalIndexing.EmbeddingSettings("local", 384, 32,
                        new LocalIndexing.EmbeddingSettings.Http("", "", "", 60000)));
        Binder set = new Binder(new MapConfigurationPropertySource(Map.of("app.index.chunking.token-overlap", "9",
                "app.index.embedding.batch-size", "8", "app.index.embedding.http.api-key", "k",
                "app.index.embedding.http.max-retry-after-ms", "7")));
        assertThat(set.bindOrCreate("app.index.chunking", LocalIndexing.ChunkingSettings.class).tokenOverlap())
                .isEqualTo(9);
        LocalIndexing.EmbeddingSettings embedding = set.bindOrCreate("app.index.embedding",
                LocalIndexing.EmbeddingSettings.class);
        assertThat(embedding.batchSize()).isEqualTo(8);
        assertThat(embedding.http().apiKey()).isEqualTo("k");
        assertThat(embedding.http().maxRetryAfterMs()).isEqualTo(7);
    }

    @Test
    void chunksBeyondTheMaximumAreCutAndMetadataHashesDiffer() {
        LocalIndexing local = indexing(new LocalIndexing.ChunkingSettings("characters", 50, 0, 1000, 120, 2),
                "local");
        TextChunker.Result chunked = local.chunk("First sentence here is long enough. Second sentence is also long."
                + "\n\nThird paragraph with more words in it. Fourth sentence closes it all.");
        assertThat(chunked.truncated()).isTrue();
        EmbeddingPlan plan = new EmbeddingPlan(chunked.chunks(), java.util.Map.of(), 32);
        plan.accept(0, List.of(new float[] {1, 0}, new float[] {0, 1}));
        assertThat(local.metaHash("{}", "[]", null)).isNotEqualTo(local.metaHash("{}", "[\"hr\"]", null));
        assertThat(LocalIndexing.single("q")).containsExactly("q");
        assertThat(plan.getComputed()).isEqualTo(2);
    }

    @Test
    void chunksOfASourceAreTakenAsTheyAreWithTheirAccessAndAnItemTheSourceCutMakesThemIncomplete() throws Exception {
        LocalIndexing local = indexing("characters", "local");
        List<java.util.Map<String, Object>> rows = List.of(
                row(0, "Item one, part one", "{\"itemId\":\"1\",\"part\":1,\"parts\":2,\"droppedChunks\":3}", "[\"member\"]", "acme"),
                row(1, "Item one, part two", "{\"itemId\":\"1\",\"part\":2,\"parts\":2,\"droppedChunks\":3}", "[\"member\"]", "acme"),
                row(2, "Item two", "{\"itemId\":\"2\",\"part\":1,\"parts\":1}", "[\"sales\"]", "acme"));

        LocalIndexing.PreChunked pre = local.preChunked("{\"title\":\"Day\"}", rows);

        assertThat(pre.chunked().chunks()).extracting(TextChunker.Chunk::content)
                .containsExactly("Item one, part one", "Item one, part two", "Item two");
        assertThat(pre.chunked().truncated()).isFalse();
        assertThat(pre.access()).extracting(ChunkStore.ChunkAccess::allowedRolesJson)
                .containsExactly("[\"member\"]", "[\"member\"]", "[\"sales\"]");
        assertThat(pre.access()).extracting(ChunkStore.ChunkAccess::tenant).containsOnly("acme");
        assertThat(pre.access().get(2).metadataJson()).contains("\"title\":\"Day\"").contains("\"itemId\":\"2\"");
        String reason = local.incompleteReason(pre.chunked(), null, pre);
        assertThat(reason).contains("1 item(s)");
        assertThat(local.outcome(reason)).isEqualTo("truncated");
        assertThat(local.outcome(local.incompleteReason(pre.chunked(), null, null))).isEqualTo("indexed");
    }

    private static java.util.Map<String, Object> row(int index, String content, String metadata, String roles,
                                                      String tenant) {
        return java.util.Map.of("chunk_index", index, "title", "t" + index, "content", content, "content_hash",
                TextChunker.sha256(content), "metadata_json", metadata, "allowed_roles_json", roles, "tenant_id", tenant);
    }
}
