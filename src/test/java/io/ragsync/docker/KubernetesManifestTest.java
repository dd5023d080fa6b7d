package io.ragsync.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/kubernetes.yaml: N replicas of the image on one database and one shared volume. Checked against what the
 * hub really reads and serves (application.yaml's variables, the open health paths, the port), the image (its
 * user, the pom's version) and what running N instances needs (an id per pod, a ReadWriteMany volume holding the
 * storage root and the drop directory, a termination grace that covers the graceful stop). No cluster is needed.
 */
class KubernetesManifestTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path DOCKER = ROOT.resolve("docker");
    /** Spring Boot's default for each graceful shutdown phase (the web server's), which application.yaml keeps */
    private static final int SPRING_PHASE_SECONDS = 30;

    private static String applicationYaml;
    private static Set<String> appVars;
    private static Map<String, Map<String, Object>> objects;
    private static Map<String, Object> podSpec;
    private static Map<String, Object> container;
    private static Map<String, String> config;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        applicationYaml = Files.readString(ROOT.resolve("application.yaml"));
        appVars = DockerFilesTest.applicationVariables(applicationYaml);
        objects = new LinkedHashMap<>();
        for (Object document : new Yaml().loadAll(Files.readString(DOCKER.resolve("kubernetes.yaml")))) {
            Map<String, Object> object = (Map<String, Object>) document;
            String name = (String) ((Map<String, Object>) object.get("metadata")).get("name");
            assertThat(objects.put(object.get("kind") + "/" + name, object)).as("%s/%s twice", object.get("kind"), name).isNull();
        }
        Map<String, Object> deployment = objects.get("Deployment/ragsync");
        assertThat(deployment).as("Deployment ragsync").isNotNull();
        podSpec = map(map(spec(deployment), "template"), "spec");
        List<Object> containers = (List<Object>) podSpec.get("containers");
        assertThat(containers).hasSize(1);
        container = (Map<String, Object>) containers.get(0);
        config = new LinkedHashMap<>();
        for (Object from : (List<Object>) container.get("envFrom")) {
            Map<String, Object> ref = (Map<String, Object>) from;
            if (ref.containsKey("configMapRef")) {
                config.putAll(strings(referenced("ConfigMap", map(ref, "configMapRef")), "data"));
            } else {
                config.putAll(strings(referenced("Secret", map(ref, "secretRef")), "stringData"));
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyVariableAPodGetsIsReadByTheApplication() {
        assertThat(config).containsKeys("DB_URL", "DB_USER", "DB_PASSWORD", "RAGFLOW_BASE_URL", "RAGFLOW_API_KEY",
                "OPS_PASSWORD", "STORAGE_ROOT", "DROP_DIR");
        List<String> names = new ArrayList<>(config.keySet());
        for (Object env : (List<Object>) container.get("env")) {
            names.add((String) ((Map<String, Object>) env).get("name"));
        }
        for (String name : names) {
            assertThat(appVars).as("the pods get %s: application.yaml must read it", name).contains(name);
        }
        assertThat(config.get("DB_URL")).startsWith("jdbc:postgresql://");
        // the secrets are not in the ConfigMap
        assertThat(strings(objects.get("ConfigMap/ragsync-config"), "data"))
                .doesNotContainKeys("DB_PASSWORD", "RAGFLOW_API_KEY", "OPS_PASSWORD");
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachReplicaHasItsOwnInstanceId() {
        assertThat((Integer) spec(objects.get("Deployment/ragsync")).get("replicas")).isGreaterThan(1);
        Map<String, Object> instanceId = ((List<Object>) container.get("env")).stream().map(e -> (Map<String, Object>) e)
                .filter(e -> "RAGSYNC_INSTANCE_ID".equals(e.get("name"))).findFirst().orElseThrow();
        assertThat(map(map(instanceId, "valueFrom"), "fieldRef")).containsEntry("fieldPath", "metadata.name");
        assertThat(config).doesNotContainKey("RAGSYNC_INSTANCE_ID");
    }

    @Test
    @SuppressWarnings("unchecked")
    void podsRunThisBuildsImageAsItsUserOnItsPortWithTheOpenHealthProbes() throws Exception {
        String version = DockerFilesTest.directChild(
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile()), "version");
        assertThat((String) container.get("image")).endsWith("/ragsync:" + version);

        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(dockerfile);
        assertThat(user.find()).isTrue();
        Map<String, Object> security = map(podSpec, "securityContext");
        assertThat(security).containsEntry("runAsNonRoot", true)
                .containsEntry("runAsUser", Integer.valueOf(user.group(1)))
                .containsEntry("fsGroup", Integer.valueOf(user.group(2)));

        assertThat(applicationYaml).contains("port: ${SERVER_PORT:8080}");
        Map<String, Object> port = (Map<String, Object>) ((List<Object>) container.get("ports")).get(0);
        assertThat(port).containsEntry("containerPort", 8080).containsEntry("name", "http");
        // probes: the groups application.yaml enables, on paths Spring Security leaves open
        assertThat(applicationYaml).contains("probes:\n        enabled: true")
                .contains("liveness:\n          include: livenessState")
                .contains("readiness:\n          include: readinessState,db,storage");
        assertThat(Files.readString(ROOT.resolve("src/main/java/io/ragsync/ops/OpsSecurityConfiguration.java")))
                .contains("\"/actuator/health/**\"");
        assertThat(probe("startupProbe")).containsEntry("path", "/actuator/health/liveness").containsEntry("port", "http");
        assertThat(probe("livenessProbe")).containsEntry("path", "/actuator/health/liveness").containsEntry("port", "http");
        assertThat(probe("readinessProbe")).containsEntry("path", "/actuator/health/readiness").containsEntry("port", "http");

        Map<String, Object> service = objects.get("Service/ragsync");
        assertThat(map(spec(service), "selector")).isEqualTo(podLabels());
        assertThat(((Map<String, Object>) ((List<Object>) spec(service).get("ports")).get(0))).containsEntry("targetPort", "http");
        assertThat(map(map(spec(objects.get("PodDisruptionBudget/ragsync")), "selector"), "matchLabels")).isEqualTo(podLabels());
        assertThat(map(map(spec(objects.get("Deployment/ragsync")), "selector"), "matchLabels")).isEqualTo(podLabels());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theStorageRootAndTheDropDirectoryAreOnOneReadWriteManyVolume() {
        Map<String, Object> volume = (Map<String, Object>) ((List<Object>) podSpec.get("volumes")).get(0);
        String claim = (String) map(volume, "persistentVolumeClaim").get("claimName");
        assertThat((List<Object>) spec(objects.get("PersistentVolumeClaim/" + claim)).get("accessModes"))
                .containsExactly("ReadWriteMany");
        Map<String, Object> mount = ((List<Object>) container.get("volumeMounts")).stream().map(v -> (Map<String, Object>) v)
                .filter(v -> volume.get("name").equals(v.get("name"))).findFirst().orElseThrow();
        String mountPath = mount.get("mountPath") + "/";
        assertThat(config.get("STORAGE_ROOT")).startsWith(mountPath);
        assertThat(config.get("DROP_DIR")).startsWith(mountPath);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTerminationGraceCoversAGracefulStop() {
        assertThat(applicationYaml).contains("shutdown: graceful").doesNotContain("timeout-per-shutdown-phase")
                .contains("shutdown-timeout: ${app.jobs.shutdown-grace-seconds}")
                .contains("shutdown-grace-seconds: ${JOBS_SHUTDOWN_GRACE_S:");
        int jobGrace = Integer.parseInt(config.get("JOBS_SHUTDOWN_GRACE_S"));
        List<Object> preStop = (List<Object>) map(map(map(container, "lifecycle"), "preStop"), "exec").get("command");
        assertThat(preStop.get(0)).isEqualTo("sleep");
        int sleep = Integer.parseInt(String.valueOf(preStop.get(1)));
        // preStop, then the job queue's grace (JobPollerControl), Camel's stop (the same grace), the web server's
        int needed = sleep + jobGrace + jobGrace + SPRING_PHASE_SECONDS;
        assertThat((Integer) podSpec.get("terminationGracePeriodSeconds")).isGreaterThanOrEqualTo(needed);
    }

    private static Map<String, Object> referenced(String kind, Map<String, Object> ref) {
        Map<String, Object> object = objects.get(kind + "/" + ref.get("name"));
        assertThat(object).as("%s %s is in the manifest", kind, ref.get("name")).isNotNull();
        return object;
    }

    private static Map<String, Object> probe(String name) {
        return map(map(container, name), "httpGet");
    }

    private static Map<String, Object> podLabels() {
        return map(map(map(spec(objects.get("Deployment/ragsync")), "template"), "metadata"), "labels");
    }

    private static Map<String, Object> spec(Map<String, Object> object) {
        return map(object, "spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as("%s in %s", key, parent.keySet()).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static Map<String, String> strings(Map<String, Object> object, String key) {
        Map<String, String> values = new LinkedHashMap<>();
        map(object, key).forEach((k, v) -> values.put(k, String.valueOf(v)));
        return values;
    }
}
