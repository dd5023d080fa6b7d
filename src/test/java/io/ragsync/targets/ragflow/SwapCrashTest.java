package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.ChildHub;
import io.ragsync.support.HubTestSupport;
import io.ragsync.support.RagflowStub;
import io.ragsync.support.TestFiles;
import io.ragsync.support.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A hub killed with SIGKILL at each step of a swap (routes/targets/ragflow/ragflow-upsert.camel.yaml and
 * ragflow-parse.camel.yaml), then a fresh hub on the same database and RAGFlow: the document converges to exactly
 * one searchable copy of the new version, and at no moment in between does RAGFlow hold none. The stub holds the
 * RAGFlow request of the step while the hub is killed; the fresh hub of one step is the one killed in the next.
 * Reconciliation runs every second throughout.
 */
class SwapCrashTest {

    private static final String DATABASE = "ragsync_swap_crash";
    private static final String DOCUMENTS = "/api/v1/datasets/[^/]+/documents";
    private static final String PARSE = "/api/v1/datasets/[^/]+/chunks";
    private static final RagflowStub STUB = new RagflowStub();
    private static final Path ROOT = TestFiles.tempDir("ragsync-swap-crash");
    private static final JdbcTemplate DB =
            new JdbcTemplate(new DriverManagerDataSource(TestPostgres.jdbcUrl(DATABASE), "postgres", ""));
    private static ChildHub hub;

    /** Where the hub dies: the RAGFlow request it waits for, and whether RAGFlow did its work by then. */
    enum Step {
        NEW_VERSION_UPLOADED_ID_NOT_RECORDED("POST", DOCUMENTS, true),
        ID_RECORDED_PARSE_NOT_STARTED("POST", PARSE, false),
        PARSE_RUNNING("GET", DOCUMENTS, true),
        NEW_VERSION_DONE_PREVIOUS_NOT_DELETED("DELETE", DOCUMENTS, false),
        PREVIOUS_DELETED_NOT_RECORDED("DELETE", DOCUMENTS, true);

        final String method;
        final String path;
        final boolean afterWork;

        Step(String method, String path, boolean afterWork) {
            this.method = method;
            this.path = path;
            this.afterWork = afterWork;
        }
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
        STUB.stop();
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void aHubKilledAtThisStepOfASwapConvergesToOneSearchableCopy(Step step) throws Exception {
        if (hub == null) {
            hub = freshHub();
        }
        String file = "swap-crash/" + step.name().toLowerCase() + ".txt";
        TestFiles.write(ROOT, file, "version one");
        long kb = DB.queryForObject("INSERT INTO knowledge_base (name, description, replace_mode)"
                + " VALUES (?, 'swap crash', 'swap') RETURNING id", Long.class, "Swap crash " + step);
        long doc = DB.queryForObject("INSERT INTO document (knowledge_base_id, title, file_path) VALUES (?, ?, ?)"
                + " RETURNING id", Long.class, kb, "Policy " + step, file);
        awaitIndexed(doc);
        String dataset = DB.queryForObject("SELECT ragflow_dataset_id FROM kb_dataset WHERE knowledge_base_id = ?",
                String.class, kb);
        String previous = DB.queryForObject("SELECT ragflow_document_id FROM document_sync WHERE document_id = ?",
                String.class, doc);

        AtomicInteger samples = new AtomicInteger();
        AtomicInteger withoutSearchableCopy = new AtomicInteger();
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
        watch.scheduleWithFixedDelay(() -> {
            samples.incrementAndGet();
            if (searchable(dataset, doc).isEmpty()) {
                withoutSearchableCopy.incrementAndGet();
            }
        }, 0, 5, TimeUnit.MILLISECONDS);
        try {
            if (step == Step.PARSE_RUNNING) {
                STUB.parsePollsToFinish(1_000_000);
            }
            // the parse check of the new version, not the reconciliation's listing nor a look at the previous one
            String query = step == Step.PARSE_RUNNING ? "(^|&)id=(?!" + Pattern.quote(previous) + "(&|$))" : null;
            RagflowStub.Hold hold = STUB.holdNext(step.method, step.path, query, step.afterWork);
            // the new version under a path of its own, named in the statement that changes the document: the
            // reconciliation (every second) never sees a stored file differ from the version the row says was synced
            String next = "swap-crash/" + step.name().toLowerCase() + "-v2.txt";
            TestFiles.write(ROOT, next, "version two");
            DB.update("UPDATE document SET title = title || ' v2', file_path = ? WHERE id = ?", next, doc);
            hold.awaitHeld(Duration.ofSeconds(60));
            // a reconciliation inside the crash window, on the hub about to be killed; Quartz records the scheduled
            // time of a firing, and a hub catching up on the seconds it missed while starting fires them late
            long held = now();
            Awaitility.await("a reconciliation while the swap is held").atMost(Duration.ofSeconds(90)).until(() ->
                    DB.queryForObject("SELECT prev_fire_time FROM qrtz_triggers WHERE trigger_name = 'reconcile'",
                            Long.class) > held);

            assertAtStep(step, dataset, doc, previous);
            assertThat(searchable(dataset, doc)).as("searchable copies at the kill point").isNotEmpty();
            assertThat(hub.kill()).as("killed by SIGKILL").isEqualTo(137);
            hold.drop();
            STUB.parsePollsToFinish(1);
            assertThat(searchable(dataset, doc)).as("searchable copies while no hub runs").isNotEmpty();

            hub = freshHub();
            awaitIndexed(doc);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                    DB.queryForObject("SELECT previous_ragflow_document_id IS NULL FROM document_sync WHERE document_id = ?",
                            Boolean.class, doc));
        } finally {
            watch.shutdownNow();
        }

        assertThat(withoutSearchableCopy.get()).as("samples of %s without a searchable copy", samples.get()).isZero();
        Map<String, Object> sync = DB.queryForMap("SELECT * FROM document_sync WHERE document_id = ?", doc);
        assertThat(STUB.documents(dataset)).as("RAGFlow's documents, tagged or not (sync %s, log %s)", sync, hub.log())
                .singleElement().satisfies(copy -> {
                    assertThat(copy.get("run")).isEqualTo("DONE");
                    assertThat(STUB.content((String) copy.get("id"))).isEqualTo("version two");
                    assertThat(copy.get("id")).isEqualTo(sync.get("ragflow_document_id"));
                    assertThat(((Map<?, ?>) copy.get("meta_fields")).get("external_id")).isEqualTo(String.valueOf(doc));
                });
        assertThat(sync.get("status")).isEqualTo("indexed");
        assertThat(sync.get("previous_ragflow_document_id")).isNull();
        assertThat(DB.queryForList("SELECT status FROM sync_job WHERE document_id = ? ORDER BY id", String.class, doc))
                .containsExactly("indexed", "indexed");
    }

    /** The hub is where the step says: what RAGFlow holds of the new version and what the hub has recorded. */
    private static void assertAtStep(Step step, String dataset, long doc, String previous) {
        Map<String, Object> sync = DB.queryForMap("SELECT * FROM document_sync WHERE document_id = ?", doc);
        List<Map<String, Object>> copies = STUB.documents(dataset);
        List<Map<String, Object>> fresh = copies.stream().filter(d -> !previous.equals(d.get("id"))).toList();
        assertThat(fresh).as("new versions in RAGFlow").hasSize(1);
        Map<String, Object> next = fresh.get(0);
        switch (step) {
            case NEW_VERSION_UPLOADED_ID_NOT_RECORDED -> {
                assertThat(sync.get("ragflow_document_id")).isNull();
                assertThat(next.get("run")).isEqualTo("UNSTART");
            }
            case ID_RECORDED_PARSE_NOT_STARTED -> {
                assertThat(sync.get("ragflow_document_id")).isEqualTo(next.get("id"));
                assertThat(next.get("run")).isEqualTo("UNSTART");
            }
            case PARSE_RUNNING -> assertThat(next.get("run")).isEqualTo("RUNNING");
            case NEW_VERSION_DONE_PREVIOUS_NOT_DELETED -> {
                assertThat(next.get("run")).isEqualTo("DONE");
                assertThat(copies).hasSize(2);
            }
            case PREVIOUS_DELETED_NOT_RECORDED -> {
                assertThat(next.get("run")).isEqualTo("DONE");
                assertThat(copies).hasSize(1);
                assertThat(sync.get("previous_ragflow_document_id")).isEqualTo(previous);
            }
        }
    }

    /** Now in epoch milliseconds, the unit of Quartz's fire times (the hub runs on this machine). */
    private static long now() {
        return DB.queryForObject("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint", Long.class);
    }

    /** The copies RAGFlow lists under the document's external id that answer questions (parse DONE). */
    private static List<Map<String, Object>> searchable(String dataset, long doc) {
        return STUB.documents(dataset, doc).stream()
                .filter(d -> "DONE".equals(d.get("run")))
                .toList();
    }

    private static void awaitIndexed(long doc) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> DB.queryForList(
                "SELECT status FROM sync_job WHERE document_id = ? ORDER BY id DESC LIMIT 1", String.class, doc)
                .contains("indexed"));
    }

    /** A hub under the same instance id, as a restart: it takes back what its killed predecessor held. */
    private static ChildHub freshHub() {
        Map<String, String> props = new HashMap<>(HubTestSupport.testProperties(DATABASE, "swap-crash"));
        props.put("app.storage.root", ROOT.toString());
        props.put("app.ragflow.base-url", STUB.baseUrl());
        props.put("app.drop.enabled", "false");
        // a reconciliation every second: it runs through every crash window and must leave both versions alone
        props.put("app.reconcile.cron", "0/1 * * * * ?");
        return ChildHub.start(props).awaitStarted();
    }
}
