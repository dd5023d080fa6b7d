package io.ragsync.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** XXH3-128 as Python's xxhash.xxh128(...).hexdigest() prints it (RAGFlow's content_hash). */
class ContentHashesTest {

    @Test
    void matchesTheReferenceVectors() {
        // XXH3_128bits("") with seed 0, from the xxHash reference implementation's sanity checks
        assertThat(ContentHashes.xxh128(new byte[0])).isEqualTo("99aa06d3014798d86001c324468d497f");
    }

    @Test
    void fileAndBytesAgree(@TempDir Path dir) throws Exception {
        byte[] content = "some document content that is longer than sixteen bytes".repeat(50).getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("a.txt"), content);
        assertThat(ContentHashes.xxh128(file)).isEqualTo(ContentHashes.xxh128(content)).hasSize(32);
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        assertThat(ContentHashes.xxh128(empty)).isEqualTo("99aa06d3014798d86001c324468d497f");
    }
}
