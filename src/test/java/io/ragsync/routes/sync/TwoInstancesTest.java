package io.ragsync.routes.sync;

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
        props.put("camel.main.name", "ragsync-2");
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
    }
}
