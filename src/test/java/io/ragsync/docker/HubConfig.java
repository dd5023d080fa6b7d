package io.ragsync.docker;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * What the hub reads from application.yaml when started with a given set of environment variables (a container's):
 * the file goes through Spring Boot's own config data processing, so profiles come from SPRING_PROFILES_ACTIVE and
 * placeholders resolve as at start-up, against those variables only (not this machine's).
 */
final class HubConfig {

    static final Path APPLICATION_YAML = Path.of("application.yaml").toAbsolutePath();
    private static final String MARKER = "marker-8d1f0c";

    private final ConfigurableEnvironment environment;

    private HubConfig(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    static HubConfig with(Map<String, String> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(variables)));
        sources.addFirst(new MapPropertySource("location", Map.of("spring.config.location", "file:" + APPLICATION_YAML)));
        ConfigDataEnvironmentPostProcessor.applyTo(environment, new DefaultResourceLoader(), null, List.of());
        return new HubConfig(environment);
    }

    /** The resolved value of a key, null when unset. */
    String get(String key) {
        return environment.getProperty(key);
    }

    List<String> activeProfiles() {
        return List.of(environment.getActiveProfiles());
    }

    /**
     * The application.yaml keys whose value comes from this variable, given the others: with the variable set to a
     * marker, the marker shows in their resolved values.
     */
    static Set<String> keysReading(Map<String, String> variables, String variable) {
        Map<String, String> marked = new HashMap<>(variables);
        marked.put(variable, MARKER);
        HubConfig config = with(marked);
        Set<String> keys = new TreeSet<>();
        for (var source : config.environment.getPropertySources()) {
            if (source instanceof OriginTrackedMapPropertySource file) {
                for (String key : ((EnumerablePropertySource<?>) file).getPropertyNames()) {
                    if (config.resolvesToMarker(key)) {
                        keys.add(key);
                    }
                }
            }
        }
        return keys;
    }

    private boolean resolvesToMarker(String key) {
        try {
            String value = get(key);
            return value != null && value.contains(MARKER);
        } catch (IllegalArgumentException unresolvable) {
            // a placeholder without default whose variable this environment lacks: not this variable's key
            return false;
        }
    }
}
