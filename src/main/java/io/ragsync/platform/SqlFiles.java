package io.ragsync.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.io.ClassPathResource;

/** The statements of sql/ that beans run through JDBC (not camel-sql), read once from the class path. */
public final class SqlFiles {

    private static final Map<String, String> READ = new ConcurrentHashMap<>();

    private SqlFiles() {
    }

    /** The text of {@code sql/<folder>/<name>.sql}. */
    public static String read(String folder, String name) {
        return READ.computeIfAbsent("sql/" + folder + "/" + name + ".sql", path -> {
            try {
                return new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("missing " + path, e);
            }
        });
    }
}
