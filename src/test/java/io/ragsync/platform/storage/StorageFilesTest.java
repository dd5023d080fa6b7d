package io.ragsync.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ragsync.jobs.DownloadFailedException;
import io.ragsync.ops.health.StorageHealthIndicator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Status;

class StorageFilesTest {

    @TempDir
    Path tmp;

    @Test
    void resolvesAndHashesFilesUnderTheRoot() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/doc.txt"), "abc");
        StoredFile file = new StorageFiles(root.toString()).resolve("a/doc.txt");
        assertThat(file.size()).isEqualTo(3);
        assertThat(file.fileName()).isEqualTo("doc.txt");
        assertThat(file.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(new StorageFiles(root.toString()).resolve("a/../a/./doc.txt").path()).isEqualTo(file.path());
    }

    @Test
    void refusesEverythingThatIsNotAReadableFileInsideTheRoot() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.writeString(tmp.resolve("secret.txt"), "outside");
        Files.createDirectories(root.resolve("dir"));
        Files.createSymbolicLink(root.resolve("link.txt"), tmp.resolve("secret.txt"));
        StorageFiles files = new StorageFiles(root.toString());

        assertThatThrownBy(() -> files.resolve("../secret.txt")).isInstanceOf(DownloadFailedException.class)
                .hasMessageContaining("escapes");
        assertThatThrownBy(() -> files.resolve(tmp.resolve("secret.txt").toString())).hasMessageContaining("relative");
        assertThatThrownBy(() -> files.resolve("link.txt")).hasMessageContaining("symlink");
        assertThatThrownBy(() -> files.resolve("missing.txt")).hasMessageContaining("not found");
        assertThatThrownBy(() -> files.resolve("dir")).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> files.resolve("")).hasMessageContaining("no file path");
        assertThatThrownBy(() -> files.resolve("a\0b")).hasMessageContaining("NUL");
    }

    @Test
    void createsAMissingRootWhenTheBeanStartsSoTheStorageProbeIsUpFromTheFirstAnswer() throws IOException {
        Path root = tmp.resolve("fresh/volume");
        StorageFiles files = new StorageFiles(root.toString());
        StorageHealthIndicator probe = new StorageHealthIndicator(files,
                new StorageHealthIndicator.Settings(60_000, 5_000));

        files.createRoot();

        assertThat(root).isDirectory();
        assertThat(probe.health().getStatus()).isEqualTo(Status.UP);
        files.createRoot(); // an existing root is left as it is
        assertThat(root).isDirectory();
    }

    @Test
    void aRootThatCannotBeCreatedStopsTheStartWithTheReason() throws IOException {
        Path blocker = Files.writeString(tmp.resolve("a-file"), "not a directory");
        StorageFiles files = new StorageFiles(blocker.resolve("root").toString());

        assertThatThrownBy(files::createRoot).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot create the storage root").hasMessageContaining("STORAGE_ROOT");
    }
}
