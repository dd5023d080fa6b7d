package io.ragsync.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ragsync.targets.local.TextChunker.Chunk;
import io.ragsync.targets.local.TextChunker.Result;
import io.ragsync.targets.local.TextChunker.Settings;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TextChunkerTest {

    private final TextChunker chunker = new TextChunker();

    private static String sentences(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + " sentence number " + i + " says something useful.")
                .collect(Collectors.joining(" "));
    }

    @Test
    void characterChunksRespectTheSizeEndOnSentencesAndOverlap() {
        String text = sentences("Alpha", 60);
        Result result = chunker.chunk(text, Settings.characters(300, 80, 100));

        assertThat(result.truncated()).isFalse();
        assertThat(result.chunks()).hasSizeGreaterThan(5);
        for (Chunk chunk : result.chunks()) {
            assertThat(chunk.content().length()).isLessThanOrEqualTo(300);
            assertThat(chunk.content()).endsWith(".").startsWith("Alpha");
            assertThat(chunk.size()).isEqualTo(chunk.content().length());
        }
        for (int i = 1; i < result.chunks().size(); i++) {
            String previous = result.chunks().get(i - 1).content();
            String current = result.chunks().get(i).content();
            String firstSentence = current.substring(0, current.indexOf('.') + 1);
            assertThat(previous).as("chunk %d starts with the end of chunk %d", i, i - 1).endsWith(firstSentence);
            assertThat(firstSentence.length()).isLessThanOrEqualTo(80);
        }
        // nothing is lost: every sentence is in some chunk
        for (int i = 0; i < 60; i++) {
            String sentence = "Alpha sentence number " + i + " says something useful.";
            assertThat(result.chunks()).anySatisfy(c -> assertThat(c.content()).contains(sentence));
        }
    }

    @Test
    void chunksPreferParagraphBoundaries() {
        String first = sentences("First", 4);
        String second = sentences("Second", 4);
        String text = first + "\n\n" + second + "\n\n" + sentences("Third", 2);
        Result result = chunker.chunk(text, Settings.characters(first.length() + 120, 0, 100));

        assertThat(result.chunks().get(0).content()).isEqualTo(first);
        assertThat(result.chunks().get(1).content()).startsWith("Second");
    }

    @Test
    void maxChunksCutsAndReportsWhatWasLeftOut() {
        Result result = chunker.chunk(sentences("Beta", 100), Settings.characters(200, 0, 3));

        assertThat(result.chunks()).hasSize(3);
        assertThat(result.truncated()).isTrue();
        assertThat(result.totalChunks()).isGreaterThan(3);
        assertThat(result.droppedChunks()).isEqualTo(result.totalChunks() - 3);
        assertThat(result.chunks()).extracting(Chunk::index).containsExactly(0, 1, 2);
    }

    @Test
    void aCutTextIsSplitOnlyToTheFirstChunkBeyondTheKeptOnesWithTheSameBoundaries() {
        String text = "a ".repeat(200_000); // one paragraph without a sentence end: hundreds of chunks
        for (Settings cut : List.of(Settings.tokens(1000, 120, 100), Settings.characters(1000, 200, 100))) {
            Result result = chunker.chunk(text, cut);
            Result whole = chunker.chunk(text, new Settings(cut.mode(), cut.size(), cut.overlap(), 100_000));

            assertThat(whole.totalChunks()).as("%s", cut).isGreaterThan(200);
            // splitting stopped at the first chunk beyond the kept ones: enough to report the cut
            assertThat(result.totalChunks()).as("%s", cut).isEqualTo(101);
            assertThat(result.truncated()).isTrue();
            assertThat(result.chunks()).isEqualTo(whole.chunks().subList(0, 100));
        }
    }

    @Test
    void tokenModeCountsApproximateTokens() {
        assertThat(TextChunker.countTokens("Hello, world!")).isEqualTo(4);
        assertThat(TextChunker.countTokens("internationalization")).isEqualTo(4); // 20 letters, 6 per token
        assertThat(TextChunker.countTokens("   ")).isZero();

        Result result = chunker.chunk(sentences("Gamma", 400), Settings.tokens(1000, 120, 100));
        assertThat(result.chunks()).hasSizeBetween(2, 10);
        assertThat(result.chunks()).allSatisfy(c -> {
            assertThat(c.size()).isLessThanOrEqualTo(1000).isEqualTo(TextChunker.countTokens(c.content()));
        });
    }

    @Test
    void overlongSentencesAndWordsAreSplit() {
        String longSentence = "word ".repeat(100).strip();
        String hugeWord = "x".repeat(250);
        Result result = chunker.chunk(longSentence + ". " + hugeWord, Settings.characters(100, 10, 100));

        assertThat(result.chunks()).allSatisfy(c -> assertThat(c.content().length()).isLessThanOrEqualTo(100));
        assertThat(String.join("", result.chunks().stream().map(Chunk::content).toList()).replace(" ", ""))
                .contains("x".repeat(100));
        long xs = result.chunks().stream().mapToLong(c -> c.content().chars().filter(ch -> ch == 'x').count()).sum();
        assertThat(xs).isGreaterThanOrEqualTo(250);
    }

    @Test
    void hashesAreStableSha256AndEmptyTextHasNoChunks() {
        List<Chunk> a = chunker.chunk("Same text. Twice.", Settings.characters(1000, 200, 100)).chunks();
        List<Chunk> b = chunker.chunk("Same text. Twice.", Settings.characters(1000, 200, 100)).chunks();
        assertThat(a).hasSize(1);
        assertThat(a.get(0).contentHash()).isEqualTo(b.get(0).contentHash()).hasSize(64)
                .isEqualTo(TextChunker.sha256("Same text. Twice."));
        assertThat(chunker.chunk("  \n\n ", Settings.characters(1000, 200, 100)).chunks()).isEmpty();
        assertThat(chunker.chunk(null, Settings.characters(1000, 200, 100)).totalChunks()).isZero();
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> Settings.characters(100, 100, 10)).hasMessageContaining("overlap");
        assertThatThrownBy(() -> Settings.characters(0, 0, 10)).hasMessageContaining("size");
        assertThatThrownBy(() -> Settings.characters(100, 0, 0)).hasMessageContaining("max chunks");
        assertThatThrownBy(() -> Settings.of("lines", 100, 0, 1)).hasMessageContaining("unknown chunking mode");
        assertThat(Settings.of("Tokens", 1000, 120, 5).mode()).isEqualTo(TextChunker.Mode.TOKENS);
    }
}
