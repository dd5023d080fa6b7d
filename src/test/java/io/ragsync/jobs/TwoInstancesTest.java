package io.ragsync.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.Application;
import io.ragsync.support.HubTestSupport;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Two hub instances on one database share the queue: every job is done exactly once. */
class TwoInstancesTest extends HubTestSupport {

    @Test
    void twoInstancesOnOneDatabaseDoEachJobOnce() {
        Map<String, Object> props = new HashMap<>(testProperties("ragsync_test", "test-instance-2"));
        props.put("server.port", "0");
        // Quartz is clustered on the shared database: a trigger names the CamelContext it fires into, so
        // every instance of a cluster runs under the same Camel name (JMX is off here, so no clash)
        props.put("camel.main.name", camel.getName());
        // two Spring contexts in ONE JVM cannot both join one Quartz cluster: Spring registers the JobStore's
        // DataSource JVM-wide under the scheduler name, and closing this instance would break the other's
        // scheduler. This in-JVM instance is a Quartz cluster of its own; one cluster across JVMs is covered
        // by FaultToleranceTest and ScaleOutTest (child JVMs).
        props.put("spring.quartz.scheduler-name", "ragsync-second-in-jvm");
        props.put("camel.main.jmx-enabled", "false");
        // command-line arguments outrank application.yaml (builder properties would not)
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(Application.class).run(args)) {
            int perKb = 12;
            long[] kbs = {knowledgeBase("Shared A"), knowledgeBase("Shared B"), knowledgeBase("Shared C")};
            for (long kb : kbs) {
                for (int i = 0; i < perKb; i++) {
                    String path = "shared/" + kb + "/doc" + i + ".txt";
                    writeFile(path, "kb " + kb + " doc " + i);
                    document(kb, "Doc " + i, path);
                }
            }
            int total = kbs.length * perKb;
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM sync_job WHERE status = 'indexed'", Integer.class) == total);

            assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job", Integer.class)).isEqualTo(total);
            assertThat(RAGFLOW.uploadCount()).isEqualTo(total);
            assertThat(RAGFLOW.countRequests("POST", "/api/v1/datasets")).isEqualTo(kbs.length);
            List<Map<String, Object>> all = RAGFLOW.allDocuments();
            @SuppressWarnings("unchecked")
            Map<Object, Long> perExternalId = all.stream().collect(Collectors.groupingBy(
                    d -> ((Map<String, Object>) d.get("meta_fields")).get("external_id"), Collectors.counting()));
            assertThat(perExternalId).hasSize(total).allSatisfy((id, count) -> assertThat(count).isEqualTo(1L));
            List<String> workers = jdbc.queryForList("SELECT DISTINCT claimed_by FROM sync_job", String.class);
            assertThat(workers).containsExactlyInAnyOrder("test-instance-1", "test-instance-2");
        }
        // an instance leaving the cluster must not take the shared schedules with it
        assertThat(jdbc.queryForList("SELECT trigger_name FROM qrtz_triggers", String.class)).contains("job-maintenance");
    }
}
