package io.ragsync.docker;

import static io.ragsync.docker.DockerFilesTest.list;
import static io.ragsync.docker.DockerFilesTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/kubernetes.yaml: N replicas of the image on one database and one shared volume. The manifest is read as
 * YAML objects and checked against what the hub reads in a pod's environment (application.yaml through Spring
 * Boot's own config processing), the image (its user, the pom's version) and what running N instances needs (an
 * id per pod, a ReadWriteMany volume holding the storage root and the drop directory, a termination grace that
 * covers the graceful stop, secrets only in the Secret). The probe paths are open without a login
 * (OpsHealthTest). No cluster is needed.
 */
class KubernetesManifestTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|API_KEY|SECRET|TOKEN).*");
    /** Spring Boot's default for each graceful shutdown phase (the web server's), unless application.yaml sets one */
    private static final Duration SPRING_PHASE = Duration.ofSeconds(30);

    private static Map<String, Map<String, Object>> objects;
    private static Map<String, Object> podSpec;
    private static Map<String, Object> container;
    /** the variables a pod gets: envFrom's ConfigMap and Secret, then env (a fieldRef as a sample value) */
    private static Map<String, String> podEnv;
    private static HubConfig hub;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        objects = new LinkedHashMap<>();
        for (Object document : new Yaml().loadAll(Files.readString(DOCKER.resolve("kubernetes.yaml")))) {
            Map<String, Object> object = (Map<String, Object>) document;
            String name = (String) map(object, "metadata").get("name");
            assertThat(objects.put(object.get("kind") + "/" + name, object)).as("%s/%s twice", object.get("kind"), name).isNull();
        }
        Map<String, Object> deployment = objects.get("Deployment/ragsync");
        assertThat(deployment).as("Deployment ragsync").isNotNull();
        podSpec = map(map(spec(deployment), "template"), "spec");
        List<Object> containers = list(podSpec, "containers");
        assertThat(containers).hasSize(1);
        container = (Map<String, Object>) containers.get(0);
        podEnv = new LinkedHashMap<>();
        for (Object from : list(container, "envFrom")) {
            Map<String, Object> ref = (Map<String, Object>) from;
            if (ref.containsKey("configMapRef")) {
                podEnv.putAll(strings(referenced("ConfigMap", map(ref, "configMapRef")), "data"));
            } else {
                podEnv.putAll(strings(referenced("Secret", map(ref, "secretRef")), "stringData"));
            }
        }
        for (Object entry : list(container, "env")) {
            Map<String, Object> env = (Map<String, Object>) entry;
            podEnv.put((String) env.get("name"), env.containsKey("value") ? String.valueOf(env.get("value")) : "ragsync-7d9f-x2k4q");
        }
        hub = HubConfig.with(podEnv);
    }

    @Test
    void everyVariableAPodGetsIsReadByTheHub() {
        assertThat(podEnv).containsKeys("DB_URL", "DB_USER", "DB_PASSWORD", "RAGFLOW_BASE_URL", "RAGFLOW_API_KEY",
                "OPS_PASSWORD", "STORAGE_ROOT", "DROP_DIR");
        for (String variable : podEnv.keySet()) {
            assertThat(HubConfig.keysReading(podEnv, variable)).as("the pods get %s: the hub must read it", variable).isNotEmpty();
        }
        assertThat(hub.get("spring.datasource.url")).startsWith("jdbc:postgresql://");
    }

    @Test
    @SuppressWarnings("unchecked")
    void secretsComeOnlyFromTheSecretWhichShipsNoValue() {
        assertThat(strings(objects.get("ConfigMap/ragsync-config"), "data").keySet()).noneMatch(k -> SECRET_NAME.matcher(k).matches());
        for (Object entry : list(container, "env")) {
            Map<String, Object> env = (Map<String, Object>) entry;
            assertThat(SECRET_NAME.matcher((String) env.get("name")).matches() && env.containsKey("value"))
                    .as("%s is written into the Deployment", env.get("name")).isFalse();
        }
        Map<String, String> secret = strings(objects.get("Secret/ragsync-secrets"), "stringData");
        assertThat(secret).containsKeys("DB_PASSWORD", "RAGFLOW_API_KEY", "OPS_PASSWORD");
        assertThat(secret.values()).as("a template: real values come from kubectl or a secret manager").containsOnly("change-me");
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachReplicaHasItsOwnInstanceId() {
        assertThat((Integer) spec(objects.get("Deployment/ragsync")).get("replicas")).isGreaterThan(1);
        Map<String, Object> instanceId = list(container, "env").stream().map(e -> (Map<String, Object>) e)
                .filter(e -> "RAGSYNC_INSTANCE_ID".equals(e.get("name"))).findFirst().orElseThrow();
        assertThat(map(map(instanceId, "valueFrom"), "fieldRef")).containsEntry("fieldPath", "metadata.name");
        assertThat(hub.get("app.instance-id")).isEqualTo(podEnv.get("RAGSYNC_INSTANCE_ID"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void podsRunThisBuildsImageAsItsUserOnThePortAndHealthPathsTheHubServes() throws Exception {
        String version = DockerFilesTest.directChild(
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile()), "version");
        assertThat((String) container.get("image")).endsWith("/ragsync:" + version);

        String[] user = Dockerfile.read(DOCKER.resolve("Dockerfile")).runtime().last("USER").split(":");
        Map<String, Object> security = map(podSpec, "securityContext");
        assertThat(security).containsEntry("runAsNonRoot", true)
                .containsEntry("runAsUser", Integer.valueOf(user[0]))
                .containsEntry("fsGroup", Integer.valueOf(user[user.length - 1]));

        Map<String, Integer> ports = new LinkedHashMap<>();
        list(container, "ports").forEach(p -> ports.put((String) ((Map<String, Object>) p).get("name"),
                (Integer) ((Map<String, Object>) p).get("containerPort")));
        assertThat(ports.values()).containsExactly(Integer.valueOf(hub.get("server.port")));
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            Map<String, Object> get = map(map(container, probe), "httpGet");
            assertThat(ports).as("%s port", probe).containsKey(String.valueOf(get.get("port")));
            assertThat(get.get("path")).as("%s path", probe)
                    .isEqualTo(DockerFilesTest.healthGroupPath(hub, probe.equals("readinessProbe") ? "readiness" : "liveness"));
        }
        // readiness follows the database and the storage root, not RAGFlow (jobs wait in the queue meanwhile)
        assertThat(hub.get("management.endpoint.health.group.readiness.include")).contains("db", "storage").doesNotContain("ragflow");

        Map<String, Object> service = objects.get("Service/ragsync");
        assertThat(map(spec(service), "selector")).isEqualTo(podLabels());
        assertThat(ports).containsKey((String) ((Map<String, Object>) list(spec(service), "ports").get(0)).get("targetPort"));
        assertThat(map(map(spec(objects.get("PodDisruptionBudget/ragsync")), "selector"), "matchLabels")).isEqualTo(podLabels());
        assertThat(map(map(spec(objects.get("Deployment/ragsync")), "selector"), "matchLabels")).isEqualTo(podLabels());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theStorageRootAndTheDropDirectoryAreOnOneReadWriteManyVolume() {
        Map<String, Object> volume = (Map<String, Object>) list(podSpec, "volumes").get(0);
        String claim = (String) map(volume, "persistentVolumeClaim").get("claimName");
        assertThat(list(spec(objects.get("PersistentVolumeClaim/" + claim)), "accessModes")).containsExactly("ReadWriteMany");
        Map<String, Object> mount = list(container, "volumeMounts").stream().map(v -> (Map<String, Object>) v)
                .filter(v -> volume.get("name").equals(v.get("name"))).findFirst().orElseThrow();
        String mountPath = mount.get("mountPath") + "/";
        assertThat(hub.get("app.storage.root")).startsWith(mountPath);
        assertThat(hub.get("app.drop.dir")).startsWith(mountPath);
    }

    @Test
    void theTerminationGraceCoversAGracefulStop() {
        assertThat(hub.get("server.shutdown")).isEqualTo("graceful");
        String phase = hub.get("spring.lifecycle.timeout-per-shutdown-phase");
        Duration springPhase = phase == null ? SPRING_PHASE : DurationStyle.detectAndParse(phase);
        long jobGrace = Long.parseLong(hub.get("app.jobs.shutdown-grace-seconds"));
        long camelStop = Long.parseLong(hub.get("camel.main.shutdown-timeout"));
        List<Object> preStop = list(map(map(map(container, "lifecycle"), "preStop"), "exec"), "command");
        assertThat(preStop.get(0)).isEqualTo("sleep");
        long sleep = Long.parseLong(String.valueOf(preStop.get(1)));
        // preStop, then the job queue's grace (JobPollerControl), Camel's stop, the web server's phase
        long needed = sleep + jobGrace + camelStop + springPhase.toSeconds();
        assertThat(((Integer) podSpec.get("terminationGracePeriodSeconds")).longValue()).isGreaterThanOrEqualTo(needed);
    }

    private static Map<String, Object> referenced(String kind, Map<String, Object> ref) {
        Map<String, Object> object = objects.get(kind + "/" + ref.get("name"));
        assertThat(object).as("%s %s is in the manifest", kind, ref.get("name")).isNotNull();
        return object;
    }

    private static Map<String, Object> podLabels() {
        return map(map(map(spec(objects.get("Deployment/ragsync")), "template"), "metadata"), "labels");
    }

    private static Map<String, Object> spec(Map<String, Object> object) {
        return map(object, "spec");
    }

    private static Map<String, String> strings(Map<String, Object> object, String key) {
        Map<String, String> values = new LinkedHashMap<>();
        map(object, key).forEach((k, v) -> values.put(k, String.valueOf(v)));
        return values;
    }
}
