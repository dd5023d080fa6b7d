package io.ragsync.targets.ragflow;

import com.dynatrace.hash4j.hashing.HashStream128;
import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * RAGFlow's change-detection hash: {@code content_hash} is {@code xxhash.xxh128(bytes).hexdigest()}, i.e.
 * XXH3-128 with seed 0 printed big-endian (high 64 bits first). Computed with hash4j's streaming XXH3-128,
 * so a file is read in 64 KiB pieces and never held in memory.
 */
public final class ContentHashes {

    private ContentHashes() {
    }

    public static String xxh128(byte[] content) {
        return hex(Hashing.xxh3_128().hashBytesTo128Bits(content));
    }

    public static String xxh128(Path file) {
        HashStream128 stream = Hashing.xxh3_128().hashStream();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                stream.putBytes(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hex(stream.get());
    }

    private static String hex(HashValue128 value) {
        return String.format("%016x%016x", value.getMostSignificantBits(), value.getLeastSignificantBits());
    }
}
