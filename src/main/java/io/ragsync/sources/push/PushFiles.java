package io.ragsync.sources.push;

import io.ragsync.platform.storage.AtomicFiles;
import io.ragsync.platform.storage.StorageFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

/**
 * Writes pushed content under the storage root atomically: a temp file in the target folder, forced to disk,
 * then moved over the target with ATOMIC_MOVE, so a sync job reading the path sees either the old or the new
 * file, never a partial one or none (the file component's temp-file mode deletes the target before renaming).
 * Each source has its own folder; once the new file is in place, other files in it (an earlier name) go.
 */
@Component("pushFiles")
public class PushFiles {

    private final Path root;

    public PushFiles(StorageFiles storage) {
        this.root = storage.getRoot();
    }

    /** Writes the content property to filePath (relative to the storage root). */
    public void write(@ExchangeProperty("filePath") String filePath, @ExchangeProperty("content") byte[] content) {
        Path target = resolve(filePath);
        Path folder = target.getParent();
        try {
            AtomicFiles.write(target, content, ".push-");
            try (Stream<Path> siblings = Files.list(folder)) {
                for (Path other : siblings.filter(p -> !p.equals(target)).toList()) {
                    if (Files.isRegularFile(other) && !other.getFileName().toString().startsWith(".push-")) {
                        Files.deleteIfExists(other);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pushed content to the storage root: " + e.getMessage(), e);
        }
    }

    /** Removes the folder of a deleted source (the folder of its file). */
    public void deleteSourceFolder(Exchange exchange) {
        String filePath = exchange.getProperty("deletedFilePath", String.class);
        if (filePath != null && filePath.startsWith("push/")) {
            deleteTree(resolve(filePath).getParent());
        }
    }

    /** Removes the folder of a knowledge base's pushed files after a cleanup. */
    public void deleteKnowledgeBaseFolder(@ExchangeProperty("knowledgeBaseId") Object knowledgeBaseId) {
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
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + folder + ": " + e.getMessage(), e);
        }
    }
}
