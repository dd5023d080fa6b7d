package io.ragsync.sources.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.io.ClassPathResource;

/** The statements of sql/sources/database, read once from the class path by their file name. */
final class SourceStatements {

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private SourceStatements() {
    }

    static String sql(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            try {
                return new ClassPathResource("sql/sources/database/" + n + ".sql").getContentAsString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
