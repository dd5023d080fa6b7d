package io.ragsync.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * Text from outside (a drop-folder file name, a fetched page) cannot forge log lines: Spring Boot's logging,
 * started with the application's own properties, writes a message with CR, LF and escape characters as one line.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogInjectionTest {

    static final String FORGED = "a\nFAKE LOG LINE\r\u001b[31mred\u0085end";

    final LoggingSystem logging = LoggingSystem.get(LogInjectionTest.class.getClassLoader());
    Properties systemProperties;

    @BeforeEach
    void saveSystemProperties() {
        systemProperties = (Properties) System.getProperties().clone();
        // Spring Boot's logging never overwrites a system property an earlier context in this JVM has set
        System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
    }

    @AfterEach
    void restore() {
        logging.cleanUp();
        System.setProperties(systemProperties);
    }

    @Test
    void textLinesEscapeControlCharacters(CapturedOutput output) throws Exception {
        start(Map.of());
        LoggerFactory.getLogger("io.ragsync.sources.drop").warn("dropped file {}", FORGED);

        List<String> lines = lines(output);
        assertThat(lines).filteredOn(line -> line.contains("FAKE LOG LINE")).singleElement().asString()
                .contains(" WARN ").contains("io.ragsync.sources.drop")
                .endsWith(" : dropped file a\\nFAKE LOG LINE\\r\\u001b[31mred\\u0085end");
        assertThat(output.getOut()).doesNotContain("\u001b[31mred");
    }

    @Test
    void structuredLinesStayJsonEscaped(CapturedOutput output) throws Exception {
        start(Map.of("logging.structured.format.console", "ecs"));
        LoggerFactory.getLogger("io.ragsync.sources.drop").warn("dropped file {}", FORGED);

        String line = lines(output).stream().filter(l -> l.contains("FAKE LOG LINE")).findFirst().orElseThrow();
        JsonNode event = new ObjectMapper().readTree(line);
        assertThat(event.path("message").asText()).isEqualTo("dropped file " + FORGED);
        assertThat(line).contains("a\\nFAKE LOG LINE\\r\\u001B[31mred\\u0085end");
    }

    private void start(Map<String, Object> overrides) throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", overrides));
        for (PropertySource<?> source : new YamlPropertySourceLoader().load("application.yaml",
                new FileSystemResource("application.yaml"))) {
            environment.getPropertySources().addLast(source);
        }
        logging.cleanUp();
        logging.beforeInitialize();
        logging.initialize(new LoggingInitializationContext(environment), null, null);
    }

    /** The captured output split where a terminal or log shipper would start a new line. */
    private static List<String> lines(CapturedOutput output) {
        return Arrays.asList(output.getOut().split("\r\n|\r|\n"));
    }
}
