package io.ragsync.ops.health;

import io.ragsync.platform.storage.StorageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/** The shared storage root: present, a directory, readable; free space as a detail. */
@Component("storage")
public class StorageHealthIndicator extends CachedHealthIndicator {

    private final StorageFiles storage;

    public StorageHealthIndicator(StorageFiles storage, Settings settings) {
        super(settings);
        this.storage = storage;
    }

    @Override
    protected void probe(Health.Builder builder) throws Exception {
        Path root = storage.getRoot();
        builder.withDetail("root", root.toString());
        if (!Files.isDirectory(root)) {
            builder.down().withDetail("error", "storage root is missing or not a directory (STORAGE_ROOT)");
        } else if (!Files.isReadable(root)) {
            builder.down().withDetail("error", "storage root is not readable by this process");
        } else {
            builder.up().withDetail("usableBytes", Files.getFileStore(root).getUsableSpace());
        }
    }
}
