package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** XXH3-128 as Python's xxhash.xxh128(...).hexdigest() prints it (RAGFlow's content_hash). */
class ContentHashesTest {

    @Test
    void matchesTheKnownVectors() {
        // XXH3_128bits("") with seed 0, from the xxHash reference implementation's sanity checks
        assertThat(ContentHashes.xxh128(new byte[0])).isEqualTo("99aa06d3014798d86001c324468d497f");
        assertThat(ContentHashes.xxh128("hello\n".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("6bba86c7e069f56d5a10b435f1c8e49c");
        assertThat(ContentHashes.xxh128("файл.txt".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("e729510daed3588725c6a758b00c768f");
    }

    /**
     * Python xxhash 3.0.0 (libxxhash 0.8.1) over bytes (i*31+7) & 0xff, one length per code path of XXH3-128:
     * 0, 1-3, 4-8, 9-16, 17-128, 129-240, over 240 (stripes), over one 1 KiB block and across stream buffers.
     */
    @ParameterizedTest
    @CsvSource({
        "0, 99aa06d3014798d86001c324468d497f",
        "1, 495b62073ef70ca44c5cca45d0f4811f",
        "3, 46f66cb93538156515f7093b173d005c",
        "4, 7fefeeffb4d0eab3b987ca5d9241572a",
        "8, 803c675a846cc6c256bb836ceb6d4baa",
        "9, d46556872d230f224376673580310154",
        "16, 650fe308c566747df853dd94614dfa07",
        "17, 18217300b5132d5a78c349fe81b2f26c",
        "128, b4f87b99d2db8a511e04fad9f0cacb4d",
        "129, 6881633650cd8924c51bc887976aef63",
        "240, de57aab31e77a2ff93e173833f75ab66",
        "241, 92b991a7192f3f080b3b630948ce4a00",
        "1024, 4c17271c906df79223bc880ebf0d29c6",
        "65536, 2c7dfeea59d29a74cf188822048798b0",
        "65537, a7262c585d065f55d6b549a3fd1d4112",
        "200000, 09d0637de0b290ba2cece8819a5a8009"
    })
    void bytesAndFilesMatchPythonXxhash(int length, String expected, @TempDir Path dir) throws Exception {
        byte[] content = new byte[length];
        for (int i = 0; i < length; i++) {
            content[i] = (byte) (i * 31 + 7);
        }
        assertThat(ContentHashes.xxh128(content)).isEqualTo(expected);
        assertThat(ContentHashes.xxh128(Files.write(dir.resolve("f.bin"), content))).isEqualTo(expected);
    }
}
