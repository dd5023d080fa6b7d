package io.ragsync.platform.storage;

import java.nio.file.Path;

/** A file resolved under the storage root, with what the sync needs to know about it. */
public record StoredFile(Path path, String relativePath, String fileName, long size, String sha256) {
}
