package io.ragsync.platform.storage;

import io.ragsync.jobs.DownloadFailedException;
import jakarta.annotation.PostConstruct;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Resolves a document's relative path under the shared storage root, refusing anything but a readable regular file
 * inside it (absolute paths, {@code ../} escapes, symlinks out of the root); hashes it streaming, never in memory.
 */
@Component("storageFiles")
public class StorageFiles {

    private final Path root;

    public StorageFiles(@Value("${app.storage.root}") String root) {
        this.root = Path.of(root).toAbsolutePath().normalize();
    }

    public Path getRoot() {
        return root;
    }

    /** Creates a missing root before the first health probe, so the storage indicator never caches "missing". */
    @PostConstruct
    public void createRoot() {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the storage root " + root + " (STORAGE_ROOT): " + e, e);
        }
    }

    public StoredFile resolve(String relativePath) {
        if (relativePath == null || relativePath.isBlank()) {
            throw new DownloadFailedException("the document has no file path");
        }
        if (relativePath.indexOf('\0') >= 0) {
            throw new DownloadFailedException("the file path contains a NUL character");
        }
        Path relative;
        try {
            relative = Path.of(relativePath);
        } catch (InvalidPathException e) {
            throw new DownloadFailedException("the file path is not valid: " + e.getReason());
        }
        if (relative.isAbsolute() || relativePath.startsWith("/") || relativePath.startsWith("\\")) {
            throw new DownloadFailedException("the file path must be relative to the storage root: " + relativePath);
        }
        Path candidate = root.resolve(relative).normalize();
        if (!candidate.startsWith(root)) {
            throw new DownloadFailedException("the file path escapes the storage root: " + relativePath);
        }
        if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS) && !Files.exists(candidate)) {
            throw new DownloadFailedException("file not found under the storage root: " + relativePath);
        }
        Path real;
        try {
            real = candidate.toRealPath();
            if (!real.startsWith(root.toRealPath())) {
                throw new DownloadFailedException("the file path leads outside the storage root (symlink): " + relativePath);
            }
        } catch (NoSuchFileException e) {
            throw new DownloadFailedException("file not found under the storage root: " + relativePath);
        } catch (IOException e) {
            throw new DownloadFailedException("cannot resolve " + relativePath + ": " + e.getMessage());
        }
        if (!Files.isRegularFile(real)) {
            throw new DownloadFailedException("not a regular file: " + relativePath);
        }
        if (!Files.isReadable(real)) {
            throw new DownloadFailedException("file is not readable: " + relativePath);
        }
        return hash(real, relativePath);
    }

    private StoredFile hash(Path file, String relativePath) {
        MessageDigest digest = DigestUtils.getSha256Digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            long size = in.transferTo(OutputStream.nullOutputStream());
            return new StoredFile(file, relativePath, file.getFileName().toString(), size,
                    Hex.encodeHexString(digest.digest()));
        } catch (IOException e) {
            throw new DownloadFailedException("cannot read " + relativePath + ": " + e.getMessage());
        }
    }
}
