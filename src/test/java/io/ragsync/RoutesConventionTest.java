package io.ragsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.HubTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;

/** House rules for routes/: every file loads, every route has an explicit id, a description and a routeConfiguration. */
class RoutesConventionTest extends HubTestSupport {

    @Test
    void everyRouteHasAnExplicitIdDescriptionAndRouteConfiguration() {
        List<Route> routes = camel.getRoutes().stream()
                .filter(r -> !r.isCreatedByRestDsl() && !r.isCreatedByKamelet()).toList();
        assertThat(routes).hasSizeGreaterThan(20);
        assertThat(routes).allSatisfy(route -> {
            assertThat(route.isCustomId()).as("explicit id of %s", route.getRouteId()).isTrue();
            assertThat(route.getRouteId()).matches("[a-z0-9]+(-[a-z0-9]+)*");
            assertThat(route.getDescription()).as("description of %s", route.getRouteId()).isNotBlank();
            assertThat(route.getConfigurationId()).as("routeConfigurationId of %s", route.getRouteId())
                    .isIn("default-errors", "job-errors", "job-step", "api-errors", "parse-check-errors",
                            "backoffice-errors", "rest-scheduler-errors", "drop-errors", "push-api-errors",
                            "ops-errors", "ragflow-request-retries", "embedding-retries");
        });
    }

    @Test
    void everyRouteFileIsLoadedAndSqlLivesInFiles() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            List<Path> yaml = files.filter(p -> p.toString().endsWith(".camel.yaml")).toList();
            assertThat(yaml).isNotEmpty();
            for (Path file : yaml) {
                String text = Files.readString(file);
                assertThat(text).as("%s keeps SQL in sql/ files", file).doesNotContain("query:");
                assertThat(text).as("%s uses camelCase keys", file).doesNotContain("route-configuration");
                if (text.contains("- route:")) {
                    String firstId = text.substring(text.indexOf("- route:")).split("id: ", 2)[1].split("\\s")[0];
                    assertThat(camel.getRoute(firstId)).as("route %s of %s is loaded", firstId, file).isNotNull();
                }
            }
        }
    }

    @Test
    void everyDirectEndpointSentToHasARouteThatConsumesIt() throws IOException {
        Pattern consumer = Pattern.compile("from:\\s*\\n\\s*(?:id: \\S+\\s*\\n\\s*)?uri: (direct:[a-z0-9-]+)");
        Pattern reference = Pattern.compile("direct:[a-z0-9-]+");
        Set<String> consumed = new TreeSet<>();
        Map<String, Path> referenced = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                String text = Files.readString(file);
                consumer.matcher(text).results().forEach(m -> consumed.add(m.group(1)));
                reference.matcher(text).results().forEach(m -> referenced.putIfAbsent(m.group(), file));
            }
        }
        // an onException step or a branch calling a route that is gone fails only when that failure happens
        referenced.keySet().removeAll(consumed);
        assertThat(referenced).as("direct endpoints without a consuming route").isEmpty();
    }

    @Test
    void noTestSleeps() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/test"))) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                try {
                    assertThat(Files.readString(p)).as("%s", p).doesNotContain("Thread" + ".sleep(");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }
}
