package io.ragsync.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/: the image and the compose files start the hub the build really produces with a configuration it really
 * reads. The Dockerfile is read as instructions, the compose files as YAML (interpolated as compose does, with
 * .env.example), application.yaml through Spring Boot's own config processing in the container's environment;
 * layout and order of the files do not matter. No Docker engine is needed; `docker compose config` runs too where
 * the compose plugin is installed.
 */
class DockerFilesTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path DOCKER = ROOT.resolve("docker");
    /** read by the image's entrypoint and by Spring Boot's profile switch, not through an application.yaml key */
    private static final Set<String> IMAGE_VARS = Set.of("SPRING_PROFILES_ACTIVE", "JAVA_OPTS");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|API_KEY|SECRET|TOKEN).*");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?}");

    private static Dockerfile dockerfile;
    private static Map<String, String> envExample;
    private static Map<String, Object> compose;
    private static Map<String, Object> ragsync;

    @BeforeAll
    static void read() throws IOException {
        dockerfile = Dockerfile.read(DOCKER.resolve("Dockerfile"));
        envExample = envFile(DOCKER.resolve(".env.example"));
        compose = yaml(DOCKER.resolve("compose.yaml"));
        ragsync = map(map(compose, "services"), "ragsync");
    }

    @Test
    void theImageBuildsThePomsJarAndRunsItAsANonRootUserWithContainerAwareMemory() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
        String builtJar = directChild(pom, "artifactId") + "-" + directChild(pom, "version") + ".jar";
        String javaVersion = pom.getElementsByTagName("java.version").item(0).getTextContent().trim();
        assertThat(pom.getElementsByTagName("finalName").getLength()).as("jar name is artifactId-version").isZero();

        Dockerfile.Stage build = dockerfile.stages().get(0);
        Dockerfile.Stage runtime = dockerfile.runtime();
        assertThat(dockerfile.stages()).hasSize(2);
        assertThat(build.image()).as("the build uses the pom's Java").matches(".*\\D" + javaVersion + "(\\D.*)?");
        assertThat(runtime.image()).as("the runtime is a JRE of the pom's Java").matches(".*:" + javaVersion + "\\D*jre.*");

        // the build stage copies the repackaged jar (not the .original) to a fixed name
        Matcher copy = Pattern.compile("cp target/(\\S+) (\\S+)").matcher(String.join(" && ", build.arguments("RUN")));
        assertThat(copy.find()).as("the build stage copies the jar").isTrue();
        String glob = copy.group(1).replace(".", "\\.").replace("*", ".*");
        assertThat(builtJar).matches(glob);
        assertThat(builtJar + ".original").doesNotMatch(glob);

        // the runtime stage takes that file and runs it
        String runtimeJar = null;
        for (String arguments : runtime.arguments("COPY")) {
            List<String> parts = Arrays.asList(arguments.split("\\s+"));
            if (parts.contains("--from=" + build.name()) && parts.get(parts.size() - 2).equals(copy.group(2))) {
                runtimeJar = parts.get(parts.size() - 1);
            }
        }
        assertThat(runtimeJar).as("the runtime stage copies the built jar").isNotNull();
        List<String> entrypoint = Dockerfile.command(runtime.last("ENTRYPOINT"));
        List<String> java = entrypoint.get(0).endsWith("sh") ? Arrays.asList(entrypoint.get(2).split("\\s+")) : entrypoint;
        assertThat(java).contains("java", "-XX:+ExitOnOutOfMemoryError", "$JAVA_OPTS");
        assertThat(java.get(java.indexOf("-jar") + 1)).isEqualTo(runtimeJar);
        assertThat(java).anyMatch(option -> option.startsWith("-XX:MaxRAMPercentage="));
        if (entrypoint.get(0).endsWith("sh")) {
            assertThat(java.get(0)).as("java replaces the shell, so it gets the stop signal").isEqualTo("exec");
        }

        String user = runtime.last("USER").split(":")[0];
        assertThat(user).isNotIn("root", "0");
        // every COPY from the build context names a file or folder of the repository
        for (Dockerfile.Stage stage : dockerfile.stages()) {
            for (String arguments : stage.arguments("COPY")) {
                List<String> parts = Stream.of(arguments.split("\\s+")).filter(p -> !p.startsWith("--")).toList();
                if (arguments.contains("--from=")) {
                    continue;
                }
                parts.subList(0, parts.size() - 1).forEach(source -> assertThat(ROOT.resolve(source)).as("COPY %s", arguments).exists());
            }
        }
    }

    @Test
    void theImagesPortHealthCheckAndRoutesAreWhatTheHubReadsInIt() {
        Dockerfile.Stage runtime = dockerfile.runtime();
        Map<String, String> env = runtime.env();
        HubConfig hub = HubConfig.with(env);

        assertThat(runtime.last("EXPOSE").split("/")[0]).isEqualTo(hub.get("server.port"));
        for (String variable : env.keySet()) {
            if (!IMAGE_VARS.contains(variable)) {
                assertThat(HubConfig.keysReading(env, variable)).as("the image sets %s: the hub must read it", variable).isNotEmpty();
            }
        }
        // the profile it activates reads the routes from the folder the image copies them to
        assertThat(hub.activeProfiles()).containsAll(List.of(env.get("SPRING_PROFILES_ACTIVE").split(",")));
        String routes = routesFolder(hub);
        assertThat(runtime.arguments("COPY")).anyMatch(copy -> copy.matches("routes\\s+" + Pattern.quote(routes) + "/?"));

        // the health check asks the liveness group on the port the hub listens on
        String check = runtime.last("HEALTHCHECK");
        String command = check.substring(check.indexOf("CMD ") + 4);
        Matcher port = Pattern.compile("/dev/tcp/[^/\\s]+/\\$\\{?(\\w+)}?").matcher(command);
        assertThat(port.find()).as("the health check connects to a port").isTrue();
        assertThat(env.get(port.group(1))).isEqualTo(hub.get("server.port"));
        Matcher path = Pattern.compile("GET (\\S+) HTTP").matcher(command);
        assertThat(path.find()).isTrue();
        assertThat(path.group(1)).isEqualTo(healthGroupPath(hub, "liveness"));
    }

    @Test
    void composeRunsTheImageOnItsDatabaseWithTheFoldersAndPortTheHubReads() {
        Map<String, Object> services = map(compose, "services");
        Map<String, Object> postgres = map(services, "postgres");
        Map<String, String> pgEnv = interpolated(environment(postgres));
        assertThat(postgres.get("image")).as("the local index needs pgvector").asString().contains("pgvector");
        assertThat(map(postgres, "healthcheck")).containsKey("test");
        assertThat(map(map(ragsync, "depends_on"), "postgres")).containsEntry("condition", "service_healthy");

        Map<String, Object> build = map(ragsync, "build");
        Path context = DOCKER.resolve((String) build.get("context")).normalize();
        assertThat(context).isEqualTo(ROOT);
        assertThat(context.resolve((String) build.get("dockerfile"))).isEqualTo(DOCKER.resolve("Dockerfile"));

        Map<String, String> composeEnv = interpolated(environment(ragsync));
        Map<String, String> env = new HashMap<>(dockerfile.runtime().env());
        env.putAll(composeEnv);
        for (String variable : composeEnv.keySet()) {
            if (!IMAGE_VARS.contains(variable)) {
                assertThat(HubConfig.keysReading(env, variable)).as("compose sets %s: the hub must read it", variable).isNotEmpty();
            }
        }
        HubConfig hub = HubConfig.with(env);
        assertThat(hub.activeProfiles()).containsAll(List.of(env.get("SPRING_PROFILES_ACTIVE").split(",")));

        // the database is the postgres service, with its name, user and password
        assertThat(hub.get("spring.datasource.url")).isEqualTo("jdbc:postgresql://postgres:5432/" + pgEnv.get("POSTGRES_DB"));
        assertThat(hub.get("spring.datasource.username")).isEqualTo(pgEnv.get("POSTGRES_USER"));
        assertThat(hub.get("spring.datasource.password")).isEqualTo(pgEnv.get("POSTGRES_PASSWORD")).isNotBlank();

        // the routes, the storage root and the drop folder the hub reads are mounted from the host
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object volume : list(ragsync, "volumes")) {
            if (volume instanceof Map<?, ?> longSyntax) {
                mounts.put(interpolate(String.valueOf(longSyntax.get("target")), envExample),
                        interpolate(String.valueOf(longSyntax.get("source")), envExample));
            } else {
                String[] parts = interpolate(String.valueOf(volume), envExample).split(":");
                mounts.put(parts[1], parts[0]);
            }
        }
        String routesHost = mounts.get(routesFolder(hub));
        assertThat(routesHost).as("the routes folder is a mount").isNotNull();
        assertThat(DOCKER.resolve(routesHost).normalize()).isEqualTo(ROOT.resolve("routes"));
        assertThat(mounts).containsKey(hub.get("app.storage.root")).containsKey(hub.get("app.drop.dir"));
        assertThat(mounts.get(hub.get("app.storage.root"))).isNotEqualTo(mounts.get(hub.get("app.drop.dir")));

        // the published port reaches the port the hub listens on
        Object port = list(ragsync, "ports").get(0);
        String published = interpolate(String.valueOf(port instanceof Map<?, ?> longSyntax ? longSyntax.get("target") : port), envExample);
        assertThat(published.substring(published.lastIndexOf(':') + 1).split("/")[0]).isEqualTo(hub.get("server.port"));
    }

    @Test
    void noSecretIsWrittenIntoTheComposeFiles() throws IOException {
        for (String file : List.of("compose.yaml", "compose.ragflow.yaml")) {
            for (Object service : map(yaml(DOCKER.resolve(file)), "services").values()) {
                environment((Map<?, ?>) service).forEach((name, value) -> {
                    if (SECRET_NAME.matcher(String.valueOf(name)).matches()) {
                        Matcher reference = REFERENCE.matcher(String.valueOf(value));
                        assertThat(reference.matches()).as("%s: %s comes from the environment", file, name).isTrue();
                        assertThat("-".equals(reference.group(3)) ? reference.group(4) : "")
                                .as("%s: %s has no default value", file, name).isEmpty();
                    }
                });
            }
        }
    }

    @Test
    void everyVariableTheComposeFilesUseIsInTheEnvExampleOrHasADefault() throws IOException {
        for (String file : List.of("compose.yaml", "compose.ragflow.yaml")) {
            List<String> values = new ArrayList<>();
            scalars(yaml(DOCKER.resolve(file)), values);
            for (String value : values) {
                Matcher reference = REFERENCE.matcher(value);
                while (reference.find()) {
                    boolean hasDefault = "-".equals(reference.group(3));
                    assertThat(hasDefault || envExample.containsKey(reference.group(1)))
                            .as("%s uses ${%s}", file, reference.group(1)).isTrue();
                }
            }
        }
        // the overlay joins the network of RAGFlow's own compose project, which it does not create
        Map<String, Object> overlay = yaml(DOCKER.resolve("compose.ragflow.yaml"));
        assertThat(list(map(map(overlay, "services"), "ragsync"), "networks")).contains("ragflow");
        assertThat(map(map(overlay, "networks"), "ragflow")).containsEntry("external", true);
    }

    @Test
    void dockerComposeConfigAcceptsTheFilesWhereThePluginIsInstalled() throws Exception {
        Assumptions.assumeTrue(run("docker", "compose", "version") == 0, "docker compose plugin not installed");
        assertThat(run("docker", "compose", "--env-file", ".env.example", "-f", "compose.yaml", "-f",
                "compose.ragflow.yaml", "config", "--quiet")).isZero();
    }

    /** The folder the hub reads its routes from (a file: pattern of camel.main.routes-include-pattern). */
    static String routesFolder(HubConfig hub) {
        String pattern = hub.get("camel.main.routes-include-pattern");
        assertThat(pattern).as("routes are read from a folder").startsWith("file:");
        return pattern.substring("file:".length(), pattern.indexOf("/*"));
    }

    /** The path of a health group the hub serves (probes enabled, the group defined), under the actuator's base path. */
    static String healthGroupPath(HubConfig hub, String group) {
        assertThat(hub.get("management.endpoint.health.probes.enabled")).isEqualTo("true");
        assertThat(hub.get("management.endpoint.health.group." + group + ".include")).as("group %s", group).isNotBlank();
        String base = hub.get("management.endpoints.web.base-path");
        return (base == null ? "/actuator" : base) + "/health/" + group;
    }

    /** A value as compose interpolates it: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}. */
    static String interpolate(String value, Map<String, String> variables) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String set = variables.get(m.group(1));
            boolean missing = set == null || (":".equals(m.group(2)) && set.isEmpty());
            String replacement;
            if ("-".equals(m.group(3)) && missing) {
                replacement = m.group(4);
            } else if ("?".equals(m.group(3)) && missing) {
                throw new AssertionError("compose stops: " + m.group(4));
            } else {
                replacement = set == null ? "" : set;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }

    /** A service's environment, in either of compose's forms (a map, or a list of NAME=value), not interpolated. */
    private static Map<String, Object> environment(Map<?, ?> service) {
        Map<String, Object> values = new LinkedHashMap<>();
        Object environment = service.get("environment");
        if (environment instanceof Map<?, ?> map) {
            map.forEach((name, value) -> values.put(String.valueOf(name), value == null ? "" : value));
        } else if (environment instanceof List<?> list) {
            for (Object entry : list) {
                String pair = String.valueOf(entry);
                values.put(pair.split("=", 2)[0], pair.contains("=") ? pair.split("=", 2)[1] : "");
            }
        }
        return values;
    }

    private static Map<String, String> interpolated(Map<String, Object> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        environment.forEach((name, value) -> values.put(name, interpolate(String.valueOf(value), envExample)));
        return values;
    }

    /** An env file as compose reads it: NAME=value lines, comments and blank lines skipped. */
    private static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.matches("\\s*[A-Za-z_][A-Za-z0-9_]*\\s*=.*")) {
                values.put(line.substring(0, line.indexOf('=')).strip(), line.substring(line.indexOf('=') + 1).strip());
            }
        }
        return values;
    }

    private static void scalars(Object node, List<String> into) {
        if (node instanceof Map<?, ?> m) {
            m.values().forEach(v -> scalars(v, into));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> scalars(v, into));
        } else if (node != null) {
            into.add(String.valueOf(node));
        }
    }

    private static int run(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).directory(DOCKER.toFile()).inheritIO().start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (IOException notInstalled) {
            return -1;
        }
    }

    static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as("%s in %s", key, parent.keySet()).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as("%s in %s", key, parent.keySet()).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    /** A top-level element of pom.xml's project (its own artifactId, version), not the parent's. */
    static String directChild(Document pom, String name) {
        var children = pom.getDocumentElement().getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (name.equals(children.item(i).getNodeName())) {
                return children.item(i).getTextContent().trim();
            }
        }
        throw new AssertionError("pom.xml has no " + name);
    }
}
