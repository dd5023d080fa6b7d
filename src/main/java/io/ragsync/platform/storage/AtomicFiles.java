package io.ragsync.platform.storage;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The one way the hub writes a file a job will read: a temporary sibling forced to disk, then moved over the target
 * atomically, so readers see old or new content whole, also after a crash (the JDK and commons-io have no such write).
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes content to target (its folder created if needed); the temporary file starts with tempPrefix. */
    public static void write(Path target, byte[] content, String tempPrefix) throws IOException {
        Path folder = target.getParent();
        Files.createDirectories(folder);
        Path temp = Files.createTempFile(folder, tempPrefix, ".tmp");
        try {
            try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
                out.write(content);
                out.getFD().sync();
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
