package io.ragsync.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;

/** Files under a test hub's storage root. */
public final class TestFiles {

    private TestFiles() {
    }

    /** A new temporary folder, as its real path (the hub compares real paths), deleted when the JVM ends. */
    public static Path tempDir(String prefix) {
        Path dir = keptTempDir(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> FileUtils.deleteQuietly(dir.toFile())));
        return dir;
    }

    /** The same, left to the caller to delete (a server's data folder, once the server has stopped). */
    public static Path keptTempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path root, String relativePath, String content) {
        return writeBytes(root, relativePath, content.getBytes(StandardCharsets.UTF_8));
    }

    public static Path writeBytes(Path root, String relativePath, byte[] content) {
        try {
            Path file = root.resolve(relativePath);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes everything below the root, the root itself stays. */
    public static void clear(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(root)).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
