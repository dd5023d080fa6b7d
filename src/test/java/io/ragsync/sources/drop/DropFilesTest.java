package io.ragsync.sources.drop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.platform.storage.StorageFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropFilesTest {

    @TempDir
    Path root;

    @Test
    void storagePathIsRelativeToTheStorageRoot() {
        DropFiles drop = new DropFiles(new StorageFiles(root.toString()), null, root.resolve("in/box").toString(), "keep", true);
        DropFiles.DropFile file = drop.describe("Kb\\sub\\a.txt", "key");
        assertThat(file.storagePath()).isEqualTo("in/box/Kb/sub/a.txt");
        assertThat(file.knowledgeBase()).isEqualTo("Kb");
        assertThat(file.title()).isEqualTo("a.txt");
        assertThat(file.dropPath()).isEqualTo("Kb/sub/a.txt");
        assertThat(file.skipReason()).isNull();
        assertThat(drop.describe("Kb/.DS_Store", "key").skipReason()).contains("hidden file");
        assertThat(drop.isMoveMode()).isFalse();
    }

    @Test
    void fileOutsideAKnowledgeBaseFolderIsRefused() {
        DropFiles drop = new DropFiles(new StorageFiles(root.toString()), null, root.resolve("inbox").toString(), "keep", true);
        assertThatThrownBy(() -> drop.read("local", drop.describe("loose.txt", "key"))).isInstanceOf(PermanentSyncException.class)
                .hasMessageContaining("folder named after its knowledge base");
    }

    @Test
    void dropDirectoryOutsideTheStorageRootIsRefusedAtStartUp() {
        StorageFiles storage = new StorageFiles(root.resolve("storage").toString());
        assertThatThrownBy(() -> new DropFiles(storage, null, root.resolve("inbox").toString(), "keep", true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("must be a folder inside app.storage.root");
        assertThatThrownBy(() -> new DropFiles(storage, null, root.resolve("storage").toString(), "keep", true))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new DropFiles(storage, null, root.resolve("storage/inbox").toString(), "sideways", true))
                .hasMessageContaining("'keep' or 'move'");
        // a disabled drop does not care where its folder would be
        assertThat(new DropFiles(storage, null, root.resolve("inbox").toString(), "keep", false)).isNotNull();
    }

    @Test
    void moveModeMovesToProcessedOrFailedWithTheReason() throws IOException {
        DropFiles drop = new DropFiles(new StorageFiles(root.toString()), null, root.resolve("inbox").toString(), "move", true);
        assertThat(drop.isMoveMode()).isTrue();
        Path inbox = root.resolve("inbox");
        write(inbox.resolve("Kb/a.txt"), "a");
        write(inbox.resolve("Kb/bad.exe"), "b");

        DropFiles.DropFile a = drop.describe("Kb/a.txt", "key");
        assertThat(drop.moveToProcessed(a).storagePath()).isEqualTo("inbox/.processed/Kb/a.txt");
        assertThat(inbox.resolve("Kb/a.txt")).doesNotExist();
        assertThat(inbox.resolve(".processed/Kb/a.txt")).hasContent("a");

        drop.moveBack(a);
        assertThat(inbox.resolve("Kb/a.txt")).hasContent("a");
        assertThat(inbox.resolve(".processed/Kb/a.txt")).doesNotExist();

        assertThat(drop.moveToFailed(drop.describe("Kb/bad.exe", "key"), "unsupported file type 'exe'").storagePath())
                .isEqualTo("inbox/.failed/Kb/bad.exe");
        assertThat(inbox.resolve(".failed/Kb/bad.exe")).hasContent("b");
        assertThat(inbox.resolve(".failed/Kb/bad.exe.reason.txt")).content().contains("unsupported file type 'exe'");
    }

    @Test
    void missingListsTheRowsWhoseFileIsGone() throws IOException {
        DropFiles drop = new DropFiles(new StorageFiles(root.toString()), null, root.resolve("inbox").toString(), "keep", true);
        write(root.resolve("inbox/Kb/here.txt"), "x");
        List<Map<String, Object>> rows = List.of(
                Map.of("relative_path", "Kb/here.txt", "storage_path", "inbox/Kb/here.txt"),
                Map.of("relative_path", "Kb/gone.txt", "storage_path", "inbox/Kb/gone.txt"));
        assertThat(drop.missing(rows)).extracting(r -> r.get("relative_path")).containsExactly("Kb/gone.txt");
    }

    @Test
    void aLinkedPathIsRefusedAndTheRemovalScanKeepsOnlyTheLinkItself() throws IOException {
        DropFiles drop = new DropFiles(new StorageFiles(root.toString()), null, root.resolve("inbox").toString(), "keep", true);
        write(root.resolve("inbox/Kb/a.txt"), "a");
        write(root.resolve("other/b.txt"), "b");
        Files.createSymbolicLink(root.resolve("inbox/Kb/again"), Path.of("."));
        Files.createSymbolicLink(root.resolve("inbox/Kb/b.txt"), Path.of("../../other/b.txt"));

        assertThatThrownBy(() -> drop.read("local", drop.describe("Kb/b.txt", "key")))
                .isInstanceOf(PermanentSyncException.class).hasMessageContaining("Kb/b.txt is a symbolic link");
        assertThatThrownBy(() -> drop.read("local", drop.describe("Kb/again/a.txt", "key")))
                .isInstanceOf(PermanentSyncException.class).hasMessageContaining("Kb/again is a symbolic link");

        // the refused links stay recorded while they are there; a path under a linked folder is not the drop's
        List<Map<String, Object>> rows = List.of(
                Map.of("relative_path", "Kb/a.txt", "storage_path", "inbox/Kb/a.txt"),
                Map.of("relative_path", "Kb/again", "storage_path", "inbox/Kb/again"),
                Map.of("relative_path", "Kb/b.txt", "storage_path", "inbox/Kb/b.txt"),
                Map.of("relative_path", "Kb/again/a.txt", "storage_path", "inbox/Kb/again/a.txt"));
        assertThat(drop.missing(rows)).extracting(r -> r.get("relative_path")).containsExactly("Kb/again/a.txt");
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
