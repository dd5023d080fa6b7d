package io.ragsync.ops.health;

import io.ragsync.platform.storage.StorageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/** The shared storage root: present, a directory, readable; free space as a detail. */
@Component("storage")
public class StorageHealthIndicator extends CachedHealthIndicator {

    private final StorageFiles storage;

    public StorageHealthIndicator(StorageFiles storage, @Value("${app.ops.health.cache-ms:5000}") long cacheMs,
            @Value("${app.ops.health.timeout-ms:5000}") long timeoutMs) {
        super(Duration.ofMillis(cacheMs), Duration.ofMillis(timeoutMs));
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
