package io.ragsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every route file is named by at least one test (its file name or its stem), so a newcomer finds its proof. */
class RouteFilesNamedByTestsTest {

    @Test
    void everyRouteFileIsNamedByATest() throws IOException {
        String tests;
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            tests = String.join("\n", files.filter(p -> p.toString().endsWith(".java")).map(RouteFilesNamedByTestsTest::read).toList());
        }
        List<String> stems;
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            stems = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml"))
                    .map(n -> n.substring(0, n.length() - ".camel.yaml".length())).sorted().toList();
        }
        assertThat(stems).isNotEmpty();
        String all = tests;
        assertThat(stems).as("route files no test names").allSatisfy(stem ->
                assertThat(Pattern.compile("(?<![\\w-])" + Pattern.quote(stem) + "(?![\\w-])").matcher(all).find())
                        .as(stem + ".camel.yaml is named by a test").isTrue());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
