package io.ragsync.sources.drop;

import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.platform.storage.StorageFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Addresses files of the drop directory. The drop directory must lie inside the shared storage root: a
 * dropped file's document.file_path is its path relative to the root, so the spine reads it like any other
 * document (one trust root, {@link StorageFiles}). A drop directory outside the root is refused at start-up.
 * In {@code move} mode registered files are moved to {@code .processed/} and refused ones to {@code .failed/}
 * (with a {@code .reason.txt} next to them) before anything is enqueued.
 */
@Component("dropFiles")
public class DropFiles {

    public static final String PROCESSED = ".processed";
    public static final String FAILED = ".failed";
    /** Files being written by an editor, a download or a copy: their final name comes when they are done. */
    private static final List<String> TEMPORARY_SUFFIXES = List.of(".tmp", ".temp", ".swp", ".part", ".partial",
            ".crdownload", ".download");

    private final Path root;
    private final Path dropDir;
    private final String prefix;
    private final boolean moveMode;

    public DropFiles(StorageFiles storageFiles,
                     @Value("${app.drop.dir}") String dropDir,
                     @Value("${app.drop.mode:keep}") String mode,
                     @Value("${app.drop.enabled:true}") boolean enabled) {
        this.root = storageFiles.getRoot();
        this.dropDir = Path.of(dropDir).toAbsolutePath().normalize();
        String m = mode == null ? "" : mode.strip().toLowerCase(Locale.ROOT);
        if (!m.equals("keep") && !m.equals("move")) {
            throw new IllegalStateException("app.drop.mode (DROP_MODE) must be 'keep' or 'move', not '" + mode + "'");
        }
        this.moveMode = m.equals("move");
        if (enabled && (!this.dropDir.startsWith(root) || this.dropDir.equals(root))) {
            throw new IllegalStateException("app.drop.dir (DROP_DIR) " + this.dropDir + " must be a folder inside"
                    + " app.storage.root (STORAGE_ROOT) " + root + ": dropped files are read through the storage"
                    + " root like every document. Set DROP_DIR to e.g. " + root.resolve("inbox")
                    + " or disable the drop with DROP_ENABLED=false");
        }
        this.prefix = this.dropDir.startsWith(root) ? slashes(root.relativize(this.dropDir).toString()) : "";
    }

    public Path getDropDir() {
        return dropDir;
    }

    public boolean isMoveMode() {
        return moveMode;
    }

    /** The file's path under the drop directory with '/' separators (Camel's relative file name). */
    public String dropPath(@Body String fileName) {
        return slashes(fileName);
    }

    /** The first folder names the knowledge base; a file directly in the drop directory has none. */
    public String knowledgeBaseName(@ExchangeProperty("dropPath") String dropPath) {
        int slash = dropPath.indexOf('/');
        if (slash <= 0 || dropPath.substring(0, slash).isBlank()) {
            throw new PermanentSyncException("a dropped file must be inside a folder named after its knowledge base"
                    + " (<drop dir>/<knowledge base>/...): " + dropPath);
        }
        return dropPath.substring(0, slash).strip();
    }

    /**
     * Why a file is skipped rather than synced, or null: hidden files (a leading dot: .DS_Store, editor swap files
     * such as .report.docx.swp) and the temporary files of editors, Office and browsers. They are not refused
     * (nothing is wrong with them) but recorded as skipped, so the operator sees them.
     */
    public String skipReason(@ExchangeProperty("dropPath") String dropPath) {
        String name = title(dropPath);
        if (name.startsWith(".")) {
            return "hidden file (name starts with a dot): not synced";
        }
        if (name.startsWith("~$")) {
            return "Office lock file (name starts with ~$): not synced";
        }
        if (name.endsWith("~")) {
            return "editor backup file (name ends with ~): not synced";
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (String suffix : TEMPORARY_SUFFIXES) {
            if (lower.endsWith(suffix)) {
                return "temporary file (" + suffix + "): not synced";
            }
        }
        return null;
    }

    /** The document title: the file name. */
    public String title(@ExchangeProperty("dropPath") String dropPath) {
        return dropPath.substring(dropPath.lastIndexOf('/') + 1);
    }

    /** document.file_path of a file of the drop directory: relative to the storage root. */
    public String storagePath(@ExchangeProperty("dropPath") String dropPath) {
        return prefix + "/" + dropPath;
    }

    /** Move mode: moves the file into {@code .processed/} (replacing an older version); returns its storage path. */
    public String moveToProcessed(@ExchangeProperty("dropPath") String dropPath) {
        move(dropDir.resolve(dropPath), dropDir.resolve(PROCESSED).resolve(dropPath));
        return prefix + "/" + PROCESSED + "/" + dropPath;
    }

    /** Move mode: a registration failed after the move; puts the file back where it was dropped. */
    public void moveBack(@ExchangeProperty("dropPath") String dropPath) {
        Path processed = dropDir.resolve(PROCESSED).resolve(dropPath);
        if (Files.exists(processed, LinkOption.NOFOLLOW_LINKS)) {
            move(processed, dropDir.resolve(dropPath));
        }
    }

    /** Move mode: moves a refused file into {@code .failed/} with the reason in {@code <name>.reason.txt}. */
    public String moveToFailed(@ExchangeProperty("dropPath") String dropPath,
                               @ExchangeProperty("dropReason") String reason) {
        Path target = dropDir.resolve(FAILED).resolve(dropPath);
        move(dropDir.resolve(dropPath), target);
        try {
            Files.writeString(target.resolveSibling(target.getFileName() + ".reason.txt"),
                    reason + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reason next to " + target, e);
        }
        return prefix + "/" + FAILED + "/" + dropPath;
    }

    /** The drop_file rows whose file is gone from the storage root (deleted or moved away). */
    public List<Map<String, Object>> missing(@Body List<Map<String, Object>> rows) {
        return rows.stream().filter(row -> {
            Path file = root.resolve(String.valueOf(row.get("storage_path"))).normalize();
            return file.startsWith(root) && !Files.isRegularFile(file);
        }).toList();
    }

    private static void move(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            try {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    private static String slashes(String path) {
        return path.replace('\\', '/');
    }
}
