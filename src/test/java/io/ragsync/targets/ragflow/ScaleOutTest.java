package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.ChildHub;
import io.ragsync.support.IsolatedHubTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Three instances on one database: this one and two hubs in their own JVMs (own pools, own clustered Quartz
 * schedulers). 2,000 documents are each indexed exactly once, every instance does a fair share, and a
 * clustered schedule fires once per period across the three, not three times.
 */
class ScaleOutTest extends IsolatedHubTest {

    private static final String DATABASE = "ragsync_scale";
    private static final int DOCUMENTS = 2000;

    @DynamicPropertySource
    static void scaleProperties(DynamicPropertyRegistry registry) {
        register(registry, isolatedProperties(DATABASE, "scale-1", overrides()));
    }

    static Map<String, String> overrides() {
        return Map.of(
                "app.jobs.batch-size", "20",
                "app.jobs.parallelism", "4",
                "app.jobs.poll-interval-ms", "50",
                // three JVMs share two cores here: a claimed batch can wait longer than the tests' 30 s lease
                "app.jobs.lease-seconds", "300",
                "app.ragflow.parse-poll-interval-ms", "100",
                // a reconciliation every 3 s: the clustered trigger must fire once per period, cluster-wide
                "app.reconcile.cron", "0/3 * * * * ?");
    }

    @Test
    @SuppressWarnings("unchecked")
    void threeInstancesIndexTwoThousandDocumentsExactlyOnceAndShareTheWork() throws Exception {
        List<ChildHub> children = new ArrayList<>();
        try {
            for (String id : List.of("scale-2", "scale-3")) {
                Map<String, String> props = new HashMap<>(isolatedProperties(DATABASE, id, overrides()));
                props.put("camel.main.name", camel.getName());
                children.add(ChildHub.start(props));
            }
            children.forEach(ChildHub::awaitStarted);
            assertThat(jdbc.queryForList("SELECT instance_name FROM qrtz_scheduler_state", String.class))
                    .containsExactlyInAnyOrder("scale-1", "scale-2", "scale-3");

            long[] kbs = {knowledgeBase("Scale A"), knowledgeBase("Scale B"), knowledgeBase("Scale C"), knowledgeBase("Scale D")};
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < DOCUMENTS; i++) {
                String path = "scale/" + (i % 20) + "/doc" + i + ".txt";
                Path file = ROOT.resolve(path);
                Files.createDirectories(file.getParent());
                Files.writeString(file, "scale-out document " + i + " " + "x".repeat(i % 500));
                rows.add(new Object[] {kbs[i % kbs.length], "Doc " + i, path});
            }
            long start = System.nanoTime();
            jdbc.batchUpdate("INSERT INTO document (knowledge_base_id, title, file_path) VALUES (?, ?, ?)", rows);
            Awaitility.await().atMost(Duration.ofSeconds(150)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM sync_job WHERE status = 'indexed'", Integer.class) == DOCUMENTS);
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();

            assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job", Integer.class)).isEqualTo(DOCUMENTS);
            assertThat(STUB.uploadCount()).as("uploads (in %s s)", seconds).isEqualTo(DOCUMENTS);
            assertThat(STUB.datasets()).hasSize(kbs.length);
            Map<Object, Long> copies = STUB.allDocuments().stream().collect(Collectors.groupingBy(
                    d -> ((Map<String, Object>) d.get("meta_fields")).get("external_id"), Collectors.counting()));
            assertThat(copies).hasSize(DOCUMENTS).allSatisfy((id, count) -> assertThat(count).isEqualTo(1L));
            Map<String, Long> perInstance = jdbc.queryForList("SELECT claimed_by, count(*) AS n FROM sync_job GROUP BY claimed_by")
                    .stream().collect(Collectors.toMap(r -> (String) r.get("claimed_by"), r -> ((Number) r.get("n")).longValue()));
            assertThat(perInstance).as("jobs per instance").containsOnlyKeys("scale-1", "scale-2", "scale-3")
                    .allSatisfy((instance, n) -> assertThat(n).as(instance).isGreaterThan(DOCUMENTS / 10));

            // clustered Quartz: one shared trigger row for the three schedulers, not one per instance
            assertThat(jdbc.queryForObject("SELECT count(*) FROM qrtz_triggers WHERE trigger_name LIKE '%reconcile%'",
                    Integer.class)).isEqualTo(1);
            // the reconcile trigger fires every 3 s on ONE instance: count the runs by the one check each run makes
            // of the first knowledge base's dataset (GET /datasets?id=...), so a slow run spanning the window's edge
            // counts once at most. One run on either edge may count, so the bound allows window/3 + 2; three
            // unclustered schedulers would show about three times window/3.
            String watched = datasetOf(kbs[0]);
            long before = datasetChecks(watched);
            long windowStart = System.nanoTime();
            Awaitility.await().pollDelay(Duration.ofSeconds(9)).atMost(Duration.ofSeconds(10)).until(() -> true);
            double windowSeconds = (System.nanoTime() - windowStart) / 1e9;
            long runs = datasetChecks(watched) - before;
            assertThat(runs).as("reconcile runs in %.1f s", windowSeconds)
                    .isBetween((long) (windowSeconds / 3) - 1, (long) (windowSeconds / 3) + 2);
            // and the runs, on whichever instance, found nothing to repair
            assertThat(STUB.uploadCount()).isEqualTo(DOCUMENTS);
            assertThat(STUB.allDocuments()).hasSize(DOCUMENTS);
        } finally {
            children.forEach(ChildHub::close);
        }
    }

    /** The reconciliation's checks of one dataset (each run asks RAGFlow once whether it still exists). */
    private static long datasetChecks(String datasetId) {
        return STUB.countRequests("GET", "/api/v1/datasets", "id", datasetId);
    }
}
