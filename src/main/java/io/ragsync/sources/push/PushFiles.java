package io.ragsync.sources.push;

import io.ragsync.platform.storage.AtomicFiles;
import io.ragsync.platform.storage.StorageFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * Writes pushed content atomically ({@link AtomicFiles}: the file component's temp-file mode deletes the target
 * before renaming); each source has its own folder, whose other files (an earlier name) go once the new one is in.
 */
@Component("pushFiles")
public class PushFiles {

    private final Path root;

    public PushFiles(StorageFiles storage) {
        this.root = storage.getRoot();
    }

    /** Writes the content to filePath (relative to the storage root). */
    public void write(String filePath, byte[] content) {
        Path target = resolve(filePath);
        try {
            AtomicFiles.write(target, content, ".push-");
            try (Stream<Path> siblings = Files.list(target.getParent())) {
                for (Path other : siblings.filter(p -> !p.equals(target) && Files.isRegularFile(p)
                        && !p.getFileName().toString().startsWith(".push-")).toList()) {
                    Files.deleteIfExists(other);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pushed content to the storage root: " + e.getMessage(), e);
        }
    }

    /** Removes the folder of a deleted source (the folder of its file). */
    public void deleteSourceFolder(String filePath) {
        if (filePath != null && filePath.startsWith("push/")) {
            deleteTree(resolve(filePath).getParent());
        }
    }

    /** Removes the folder of a knowledge base's pushed files after a cleanup. */
    public void deleteKnowledgeBaseFolder(@Variable("knowledgeBaseId") Object knowledgeBaseId) {
        if (knowledgeBaseId != null) {
            deleteTree(resolve("push/" + knowledgeBaseId));
        }
    }

    private Path resolve(String relative) {
        Path path = root.resolve(relative).normalize();
        if (!path.startsWith(root.resolve("push"))) {
            throw new IllegalArgumentException("refusing a push path outside the push folder: " + relative);
        }
        return path;
    }

    private static void deleteTree(Path folder) {
        try {
            if (Files.isDirectory(folder)) {
                FileSystemUtils.deleteRecursively(folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + folder + ": " + e.getMessage(), e);
        }
    }
}
