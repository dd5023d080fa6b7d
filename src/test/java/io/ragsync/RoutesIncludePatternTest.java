package io.ragsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar loads routes through one classpath pattern per folder (Camel cannot scan wildcard folders
 * inside a Spring Boot jar): every folder of routes/ that holds route files must be listed in application.yaml.
 */
class RoutesIncludePatternTest {

    @Test
    void everyRouteFolderIsInTheDefaultIncludePattern() throws IOException {
        String config = Files.readString(Path.of("application.yaml"));
        String pattern = config.lines().filter(l -> l.trim().startsWith("routes-include-pattern: ${RAGSYNC_ROUTES:"))
                .findFirst().orElseThrow();
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            List<String> folders = files.filter(p -> p.toString().endsWith(".camel.yaml"))
                    .map(p -> Path.of("routes").relativize(p.getParent()).toString().replace('\\', '/'))
                    .distinct().toList();
            assertThat(folders).isNotEmpty().allSatisfy(folder ->
                    assertThat(pattern).as("routes/%s is listed in camel.main.routes-include-pattern", folder)
                            .contains("classpath:routes/" + folder + "/*.camel.yaml"));
        }
    }
}
