package io.ragsync.targets.ragflow;

import com.dynatrace.hash4j.hashing.HashStream128;
import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** RAGFlow's content_hash, {@code xxhash.xxh128(bytes).hexdigest()}: XXH3-128, seed 0, high 64 bits first. */
public final class ContentHashes {

    private ContentHashes() {
    }

    public static String xxh128(byte[] content) {
        return hex(Hashing.xxh3_128().hashBytesTo128Bits(content));
    }

    public static String xxh128(Path file) {
        HashStream128 stream = Hashing.xxh3_128().hashStream();
        // streamed: a file is never held in memory
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
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
