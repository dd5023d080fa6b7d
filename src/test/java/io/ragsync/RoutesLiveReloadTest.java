package io.ragsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.HubTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The external-routes profile: routes are read from an operator's folder and a changed file is reloaded while
 * the hub runs, replacing only that file's routes (every other route keeps running).
 */
class RoutesLiveReloadTest {

    @Test
    void aChangedRouteFileIsReloadedAndTheOtherRoutesKeepRunning(@TempDir Path folder) throws IOException {
        copyRoutes(Path.of("routes"), folder);
        Map<String, Object> props = new HashMap<>(HubTestSupport.testProperties("ragsync_reload", "reload-instance"));
        props.put("server.port", "0");
        props.put("camel.main.name", "ragsync-reload");
        props.put("camel.main.jmx-enabled", "false");
        props.put("spring.profiles.active", "external-routes");
        props.put("RAGSYNC_ROUTES_DIR", folder.toString());
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        try (ConfigurableApplicationContext hub = new SpringApplicationBuilder(Application.class).run(args)) {
            CamelContext camel = hub.getBean(CamelContext.class);
            int routes = camel.getRoutes().size();
            assertThat(camel.getRoute("job-maintenance").getDescription()).doesNotContain("edited by the operator");

            Path file = folder.resolve("jobs/job-maintenance.camel.yaml");
            Files.writeString(file, Files.readString(file).replaceFirst("description: ",
                    "description: (edited by the operator) "));

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> camel.getRoute("job-maintenance") != null
                    && camel.getRoute("job-maintenance").getDescription().contains("edited by the operator"));
            assertThat(camel.getRoutes()).hasSize(routes);
            assertThat(camel.getRouteController().getRouteStatus("sync-job")).isEqualTo(ServiceStatus.Started);
            assertThat(camel.getRouteController().getRouteStatus("job-maintenance")).isEqualTo(ServiceStatus.Started);
        }
    }

    private static void copyRoutes(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
