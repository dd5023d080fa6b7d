package io.ragsync.sources.drop;

import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.platform.storage.StorageFiles;
import io.ragsync.platform.storage.StoredFile;
import io.ragsync.targets.local.IndexTargets;
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
import java.util.stream.Stream;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.language.simple.Simple;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Files of the drop directory, which lies inside the storage root so a dropped file is read like any document (one
 * trust root, {@link StorageFiles}); move mode moves registered files to .processed/, refused ones to .failed/.
 */
@Component("dropFiles")
public class DropFiles {

    private static final String PROCESSED = ".processed";
    private static final String FAILED = ".failed";
    /** Files being written by an editor, a download or a copy: their final name comes when they are done. */
    private static final List<String> TEMPORARY_SUFFIXES = List.of(".tmp", ".temp", ".swp", ".part", ".partial",
            ".crdownload", ".download");

    /** The consumer's idempotentKey. */
    private static final String SEEN_KEY = "${file:name}|${file:size}|${file:modified}";

    private final StorageFiles storage;
    private final IndexTargets indexTargets;
    private final Path root;
    private final Path dropDir;
    private final String prefix;
    private final boolean moveMode;

    public DropFiles(StorageFiles storageFiles, IndexTargets indexTargets,
                     @Value("${app.drop.dir}") String dropDir,
                     @Value("${app.drop.mode:keep}") String mode,
                     @Value("${app.drop.enabled:true}") boolean enabled) {
        this.storage = storageFiles;
        this.indexTargets = indexTargets;
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

    /** A dropped file as the drop flow carries it: knowledgeBase is its first folder (null: none), title its name. */
    public record DropFile(String dropPath, String storagePath, String knowledgeBase, String title, String seenKey,
                           String skipReason) {

        DropFile storedAt(String path) {
            return new DropFile(dropPath, path, knowledgeBase, title, seenKey, skipReason);
        }
    }

    /** The file the consumer took, described once. */
    public DropFile describe(@Header(Exchange.FILE_NAME) String fileName, @Simple(SEEN_KEY) String seenKey) {
        String path = slashes(fileName);
        int slash = path.indexOf('/');
        String title = path.substring(path.lastIndexOf('/') + 1);
        return new DropFile(path, prefix + "/" + path, slash <= 0 || path.substring(0, slash).isBlank() ? null
                : path.substring(0, slash).strip(), title, seenKey, skipReason(title));
    }

    /** A file known by its name as listed, backslashes kept (DropNames): where it is, nothing else. */
    DropFile named(String relativePath) {
        String title = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        return new DropFile(relativePath, prefix + "/" + relativePath, null, title, null, null);
    }

    /** The dropped file, refused as its knowledge base's target would refuse it, or when outside such a folder. */
    public StoredFile read(@Body String target, @ExchangeProperty("drop") DropFile drop) {
        if (drop.knowledgeBase() == null) {
            throw new PermanentSyncException("a dropped file must be inside a folder named after its knowledge base"
                    + " (<drop dir>/<knowledge base>/...): " + drop.dropPath());
        }
        // the consumer's filter (DropNames) refuses links already; this covers a link made after the listing
        Path link = firstLink(dropDir.resolve(drop.dropPath()));
        if (link != null) {
            throw new PermanentSyncException(linkReason(slashes(dropDir.relativize(link).toString()),
                    Files.isDirectory(link)));
        }
        StoredFile file = storage.resolve(drop.storagePath());
        indexTargets.checkFile(target, drop.knowledgeBase(), file);
        return file;
    }

    /** Why a symbolic link in the drop is refused: it is never followed, whatever it leads to. */
    static String linkReason(String relativePath, boolean folder) {
        return relativePath + " is a symbolic link" + (folder ? " to a folder" : "") + ": the drop does not follow"
                + " links" + (folder ? ", so nothing under it is synced" : "") + "; copy the "
                + (folder ? "folder" : "file") + " into the drop folder instead";
    }

    /** Why a hidden or temporary file is skipped (recorded, not refused: nothing is wrong with it), or null. */
    static String skipReason(String name) {
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
        return TEMPORARY_SUFFIXES.stream().filter(lower::endsWith).findFirst()
                .map(suffix -> "temporary file (" + suffix + "): not synced").orElse(null);
    }

    /** Move mode: moves the file into {@code .processed/} (replacing an older version). */
    public DropFile moveToProcessed(@ExchangeProperty("drop") DropFile drop) {
        move(dropDir.resolve(drop.dropPath()), dropDir.resolve(PROCESSED).resolve(drop.dropPath()));
        return drop.storedAt(prefix + "/" + PROCESSED + "/" + drop.dropPath());
    }

    /** Move mode: a registration failed after the move; puts the file back where it was dropped. */
    public void moveBack(@ExchangeProperty("drop") DropFile drop) {
        Path processed = dropDir.resolve(PROCESSED).resolve(drop.dropPath());
        if (Files.exists(processed, LinkOption.NOFOLLOW_LINKS)) {
            move(processed, dropDir.resolve(drop.dropPath()));
        }
    }

    /** Move mode: moves a refused file into {@code .failed/} with the reason in {@code <name>.reason.txt}. */
    public DropFile moveToFailed(@ExchangeProperty("drop") DropFile drop, @ExchangeProperty("dropReason") String reason) {
        Path target = dropDir.resolve(FAILED).resolve(drop.dropPath());
        move(dropDir.resolve(drop.dropPath()), target);
        try {
            Files.writeString(target.resolveSibling(target.getFileName() + ".reason.txt"),
                    reason + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reason next to " + target, e);
        }
        return drop.storedAt(prefix + "/" + FAILED + "/" + drop.dropPath());
    }

    /**
     * The drop_file rows whose file is gone from the storage root (deleted or moved away). A refused link is there
     * while the link is; a path under a linked folder is gone, since the drop does not walk linked folders.
     */
    public List<Map<String, Object>> missing(@Body List<Map<String, Object>> rows) {
        return rows.stream().filter(row -> {
            Path file = root.resolve(String.valueOf(row.get("storage_path"))).normalize();
            if (!file.startsWith(root)) {
                return false;
            }
            Path link = firstLink(file);
            if (link != null) {
                return !link.equals(file);
            }
            return !Files.isRegularFile(file) && !listedUnreadable(file);
        }).toList();
    }

    /** The first symbolic link on the way from the drop directory down to the path, the path included, or null. */
    private Path firstLink(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (!absolute.startsWith(dropDir) || absolute.equals(dropDir)) {
            return null;
        }
        Path at = dropDir;
        for (Path part : dropDir.relativize(absolute)) {
            at = at.resolve(part);
            if (Files.isSymbolicLink(at)) {
                return at;
            }
        }
        return null;
    }

    /** A name that is not UTF-8 cannot be opened (DropNames refused it): it is there while its folder lists it. */
    private static boolean listedUnreadable(Path file) {
        String name = file.getFileName().toString();
        if (name.indexOf('\uFFFD') < 0) {
            return false;
        }
        try (Stream<Path> listed = Files.list(file.getParent())) {
            return listed.anyMatch(p -> p.getFileName().toString().equals(name));
        } catch (IOException e) {
            return false;
        }
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
