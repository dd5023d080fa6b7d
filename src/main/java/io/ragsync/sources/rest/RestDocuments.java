package io.ragsync.sources.rest;

import io.ragsync.platform.storage.AtomicFiles;
import io.ragsync.platform.storage.StorageFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.io.file.PathUtils;
import org.springframework.stereotype.Component;

/** The daily document of a REST source: that day's chunks as Markdown at rest/<source-id>/<slug>-sync-<date>.md. */
@Component("restDocuments")
public class RestDocuments {

    private final StorageFiles storage;

    public RestDocuments(StorageFiles storage) {
        this.storage = storage;
    }

    public static String title(String sourceTitle, Object syncDate) {
        return sourceTitle + " — Sync " + syncDate;
    }

    public static String filePath(long sourceId, String sourceTitle, Object syncDate) {
        String slug = sourceTitle.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60).replaceAll("-+$", "");
        }
        return "rest/" + sourceId + "/" + (slug.isEmpty() ? "source" : slug) + "-sync-" + syncDate + ".md";
    }

    /** Markdown of the day's chunks (rows with title and content, in chunk order). */
    private static String render(String documentTitle, List<Map<String, Object>> chunks) {
        return chunks.stream().map(chunk -> "\n## " + chunk.get("title") + "\n\n" + chunk.get("content") + "\n")
                .collect(Collectors.joining("", "# " + documentTitle + "\n", ""));
    }

    /** Written atomically, so the spine never reads half a file. */
    public void write(String relativePath, String documentTitle, List<Map<String, Object>> chunks) {
        Path target = storage.getRoot().resolve(relativePath).normalize();
        if (!target.startsWith(storage.getRoot())) {
            throw new IllegalArgumentException("the daily document path escapes the storage root: " + relativePath);
        }
        try {
            AtomicFiles.write(target, render(documentTitle, chunks).getBytes(StandardCharsets.UTF_8),
                    "." + target.getFileName());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the daily document " + relativePath, e);
        }
    }

    /** Removes the source's files (after its rows were deleted); returns how many files were removed. */
    public int deleteFiles(long sourceId) {
        Path dir = storage.getRoot().resolve("rest").resolve(String.valueOf(sourceId));
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try {
            return (int) PathUtils.deleteDirectory(dir).getFileCounter().get();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the files of REST source " + sourceId, e);
        }
    }
}
