package io.ragsync.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
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
 * docker/: the Dockerfile and the compose files refer to what the build really produces and what the hub really
 * reads - the jar the pom builds, folders of the repository, the profile and env vars application.yaml knows,
 * the port, the health probe. No Docker engine is needed; `docker compose config` runs too where the compose
 * plugin is installed.
 */
class DockerFilesTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path DOCKER = ROOT.resolve("docker");
    /** read by the image itself, not by application.yaml */
    private static final Set<String> IMAGE_VARS = Set.of("SPRING_PROFILES_ACTIVE", "JAVA_OPTS");
    private static String dockerfile;
    private static String applicationYaml;
    private static Set<String> appVars;
    private static Map<String, Object> compose;
    private static Map<String, Object> ragsync;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        dockerfile = Files.readString(DOCKER.resolve("Dockerfile")).replace("\\\n", " ");
        applicationYaml = Files.readString(ROOT.resolve("application.yaml"));
        appVars = applicationVariables(applicationYaml);
        compose = new Yaml().load(Files.readString(DOCKER.resolve("compose.yaml")));
        ragsync = (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("ragsync");
    }

    @Test
    void dockerfileBuildsThePomsJarAndRunsItAsNonRootWithContainerAwareMemory() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
        String artifactId = directChild(pom, "artifactId");
        String version = directChild(pom, "version");
        assertThat(pom.getElementsByTagName("finalName").getLength()).as("jar name is artifactId-version").isZero();
        assertThat(Files.readString(ROOT.resolve("pom.xml"))).contains("<artifactId>spring-boot-maven-plugin</artifactId>");
        Matcher jar = Pattern.compile("cp target/(\\S+) ").matcher(dockerfile);
        assertThat(jar.find()).as("the build stage copies the jar").isTrue();
        String jarGlob = jar.group(1);
        String builtJar = artifactId + "-" + version + ".jar";
        assertThat(builtJar).as("%s matches %s", builtJar, jarGlob).matches(jarGlob.replace(".", "\\.").replace("*", ".*"));
        assertThat((artifactId + "-" + version + ".jar.original")).doesNotMatch(jarGlob.replace(".", "\\.").replace("*", ".*") + "$");

        List<String> from = lines("FROM ");
        assertThat(from).hasSize(2);
        assertThat(from.get(0)).startsWith("FROM maven:3-eclipse-temurin-17 AS build");
        assertThat(from.get(1)).isEqualTo("FROM eclipse-temurin:17-jre");
        // every COPY from the build context names a file or folder of the repository
        for (String copy : lines("COPY ")) {
            if (copy.contains("--from=")) {
                continue;
            }
            String[] parts = copy.split("\\s+");
            for (int i = 1; i < parts.length - 1; i++) {
                assertThat(ROOT.resolve(parts[i])).as("%s", copy).exists();
            }
        }
        String user = lines("USER ").get(0).substring(5).trim();
        assertThat(user).isNotIn("root", "0", "0:0").doesNotStartWith("0:");
        assertThat(dockerfile).contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(dockerfile).contains("-jar /opt/ragsync/ragsync.jar").contains("exec java ");
        assertThat(dockerfile).contains("COPY --from=build /build/ragsync.jar /opt/ragsync/ragsync.jar");
    }

    @Test
    void dockerfilePortEnvAndHealthcheckMatchTheApplication() {
        assertThat(applicationYaml).contains("port: ${SERVER_PORT:8080}");
        assertThat(lines("EXPOSE ")).containsExactly("EXPOSE 8080");
        Matcher env = Pattern.compile("(?m)^ENV (.*)$").matcher(dockerfile);
        assertThat(env.find()).isTrue();
        Matcher pair = Pattern.compile("([A-Z_]+)=(\\S+)").matcher(env.group(1));
        Map<String, String> vars = new LinkedHashMap<>();
        while (pair.find()) {
            vars.put(pair.group(1), pair.group(2));
        }
        assertThat(vars).containsEntry("SERVER_PORT", "8080");
        vars.keySet().stream().filter(v -> !IMAGE_VARS.contains(v)).forEach(v ->
                assertThat(appVars).as("the image sets %s: application.yaml must read it", v).contains(v));
        assertThat(applicationYaml).contains("on-profile: " + vars.get("SPRING_PROFILES_ACTIVE"));
        // the health check asks the liveness group, which application.yaml enables and Spring Security leaves open
        assertThat(lines("HEALTHCHECK ").get(0)).contains("/actuator/health/liveness").contains("${SERVER_PORT}");
        assertThat(applicationYaml).contains("probes:\n        enabled: true").contains("liveness:\n          include: livenessState");
        assertThat(dockerfile).contains("RAGSYNC_ROUTES_DIR=/etc/ragsync/routes").contains("COPY routes /etc/ragsync/routes");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRefersToRealProfilesEnvVarsFoldersAndPorts() throws IOException {
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> postgres = (Map<String, Object>) services.get("postgres");
        assertThat(postgres.get("image")).isEqualTo("pgvector/pgvector:pg16");
        Map<String, Object> pgEnv = (Map<String, Object>) postgres.get("environment");

        Map<String, Object> build = (Map<String, Object>) ragsync.get("build");
        Path context = DOCKER.resolve((String) build.get("context")).normalize();
        assertThat(context).isEqualTo(ROOT);
        assertThat(context.resolve((String) build.get("dockerfile"))).isEqualTo(DOCKER.resolve("Dockerfile"));
        assertThat((Map<String, Object>) ((Map<String, Object>) ragsync.get("depends_on")).get("postgres"))
                .containsEntry("condition", "service_healthy");

        Map<String, Object> env = (Map<String, Object>) ragsync.get("environment");
        for (String name : env.keySet()) {
            if (IMAGE_VARS.contains(name)) {
                continue;
            }
            assertThat(appVars).as("compose sets %s: application.yaml must read it", name).contains(name);
        }
        // the profile exists, and it reads the routes folder that is mounted
        for (String profile : String.valueOf(env.get("SPRING_PROFILES_ACTIVE")).split(",")) {
            assertThat(applicationYaml).contains("on-profile: " + profile.trim());
        }
        assertThat(applicationYaml).contains("routes-include-pattern: file:${RAGSYNC_ROUTES_DIR}");
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object volume : (List<Object>) ragsync.get("volumes")) {
            // host side may be ${VAR:-default}: keep its default for the split
            String[] parts = String.valueOf(volume).replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1").split(":");
            mounts.put(parts[1], parts[0]);
        }
        String routesHost = mounts.get(String.valueOf(env.get("RAGSYNC_ROUTES_DIR")));
        assertThat(routesHost).as("RAGSYNC_ROUTES_DIR is a mount").isNotNull();
        Path routes = DOCKER.resolve(routesHost).normalize();
        assertThat(routes).isEqualTo(ROOT.resolve("routes"));
        try (Stream<Path> files = Files.walk(routes)) {
            assertThat(files.filter(p -> p.toString().endsWith(".camel.yaml")).count()).isPositive();
        }
        assertThat(mounts).containsKey(String.valueOf(env.get("STORAGE_ROOT")));
        assertThat(mounts).containsKey(String.valueOf(env.get("DROP_DIR")));
        // the database is the postgres service, with its name and user
        assertThat(env.get("DB_URL")).isEqualTo("jdbc:postgresql://postgres:5432/" + pgEnv.get("POSTGRES_DB"));
        assertThat(env.get("DB_USER")).isEqualTo(pgEnv.get("POSTGRES_USER"));
        assertThat(env.get("DB_PASSWORD")).isEqualTo(pgEnv.get("POSTGRES_PASSWORD"));
        // the published port reaches the port the hub listens on
        List<Object> ports = (List<Object>) ragsync.get("ports");
        assertThat(String.valueOf(ports.get(0))).endsWith(":8080");
    }

    @Test
    void everyVariableTheComposeFilesUseIsInTheEnvExampleOrHasADefault() throws IOException {
        Set<String> example = new HashSet<>();
        for (String line : Files.readAllLines(DOCKER.resolve(".env.example"))) {
            if (line.matches("[A-Z_][A-Z0-9_]*=.*")) {
                example.add(line.substring(0, line.indexOf('=')));
            }
        }
        for (String file : new String[] {"compose.yaml", "compose.ragflow.yaml"}) {
            Matcher m = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)(:?[-?])?").matcher(Files.readString(DOCKER.resolve(file)));
            while (m.find()) {
                boolean hasDefault = m.group(2) != null && m.group(2).endsWith("-");
                assertThat(hasDefault || example.contains(m.group(1))).as("%s uses ${%s}", file, m.group(1)).isTrue();
            }
        }
        Map<String, Object> overlay = new Yaml().load(Files.readString(DOCKER.resolve("compose.ragflow.yaml")));
        assertThat(overlay.toString()).contains("external=true");
    }

    @Test
    void dockerComposeConfigAcceptsTheFilesWhereThePluginIsInstalled() throws Exception {
        Assumptions.assumeTrue(run("docker", "compose", "version") == 0, "docker compose plugin not installed");
        assertThat(run("docker", "compose", "--env-file", ".env.example", "-f", "compose.yaml", "-f",
                "compose.ragflow.yaml", "config", "--quiet")).isZero();
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

    private static List<String> lines(String prefix) {
        List<String> found = new ArrayList<>();
        for (String line : dockerfile.split("\n")) {
            if (line.startsWith(prefix)) {
                found.add(line.trim());
            }
        }
        return found;
    }

    /** The env vars application.yaml reads: {@code ${VAR}} or {@code ${VAR:default}}. */
    static Set<String> applicationVariables(String applicationYaml) {
        Set<String> vars = new HashSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]").matcher(applicationYaml);
        while (m.find()) {
            vars.add(m.group(1));
        }
        return vars;
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
