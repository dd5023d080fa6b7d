package io.ragsync.sources.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.IsolatedHubTest;
import io.ragsync.support.LightragStub;
import io.ragsync.support.TestMariaDb;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two MariaDB source databases (a real server, {@link TestMariaDb}) feeding one hub: backend documents reach RAGFlow's
 * stub and the local index, the manager's items in MariaDB end with the same statuses and log as on PostgreSQL,
 * ids of the two sources never meet, and replayed outbox rows change nothing
 * (routes/sources/database/source-database-relay.camel.yaml).
 */
class SourceDatabaseFlowTest extends IsolatedHubTest {

    private static final String[] TERMINAL = {"indexed", "deleted", "failed", "config_error", "download_failed", "superseded"};

    static final LightragStub LIGHTRAG = new LightragStub();

    @DynamicPropertySource
    static void sourceDatabases(DynamicPropertyRegistry registry) {
        Map<String, String> overrides = new HashMap<>();
        int n = 0;
        for (String name : List.of("alpha", "beta")) {
            String prefix = "app.source-databases[" + n++ + "].";
            overrides.put(prefix + "name", name);
            overrides.put(prefix + "vendor", "mariadb");
            overrides.put(prefix + "url", TestMariaDb.freshDatabase("ragsync_" + name));
            overrides.put(prefix + "username", TestMariaDb.user());
            overrides.put(prefix + "password", "");
        }
        overrides.put("app.source-database.interval-ms", "100");
        overrides.put("app.lightrag.url", LIGHTRAG.baseUrl());
        overrides.put("app.lightrag.api-key", LightragStub.API_KEY);
        register(registry, isolatedProperties("ragsync_source_databases", "source-db-1", overrides));
    }

    @Autowired
    SourceDatabases sources;
    @Autowired
    SourceDatabaseRelay relay;

    private JdbcTemplate alpha;
    private JdbcTemplate beta;

    @BeforeEach
    void cleanSources() {
        alpha = new JdbcTemplate(sources.get("alpha").pool());
        beta = new JdbcTemplate(sources.get("beta").pool());
        routes("stop");
        for (JdbcTemplate source : List.of(alpha, beta)) {
            for (String table : List.of("ingest_log", "ingest_queue_item", "ingest_document", "document",
                    "knowledge_base", "ragsync_outbox")) {
                source.update("DELETE FROM " + table);
            }
        }
        jdbc.execute("TRUNCATE ingest_document, ingest_queue_item, ingest_log, source_db_row, index_chunk"
                + " RESTART IDENTITY CASCADE");
        routes("start");
    }

    @AfterEach
    void singleModeOff() {
        camel.getPropertiesComponent().addOverrideProperty("app.queue.concurrency", "parallel");
    }

    @Test
    void backendDocumentIsCreatedReplacedAndDeletedInRagflow() {
        writeFile("alpha/guide.txt", "version one");
        long kb = insert(alpha, "INSERT INTO knowledge_base (name, description) VALUES ('Manuals', 'the manuals')");
        long remote = sourceDocument(kb, "Guide", "alpha/guide.txt");
        long doc = awaitLocal("alpha", "document", remote);
        assertThat(awaitJob(doc, TERMINAL).get("status")).isEqualTo("indexed");
        long localKb = local("alpha", "knowledge_base", kb);
        assertThat(jdbc.queryForObject("SELECT name FROM knowledge_base WHERE id = ?", String.class, localKb)).isEqualTo("Manuals");
        List<Map<String, Object>> created = STUB.documents(datasetOf(localKb));
        assertThat(created).hasSize(1);
        assertThat(STUB.content((String) created.get(0).get("id"))).isEqualTo("version one");

        writeFile("alpha/guide-v2.txt", "version two");
        alpha.update("UPDATE document SET file_path = 'alpha/guide-v2.txt', title = 'Guide v2' WHERE id = ?", remote);
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE document_id = ? AND status = 'indexed'",
                Integer.class, doc) == 2);
        List<Map<String, Object>> replaced = STUB.documents(datasetOf(localKb));
        assertThat(replaced).hasSize(1);
        assertThat(replaced.get(0).get("id")).isNotEqualTo(created.get(0).get("id"));
        assertThat(STUB.content((String) replaced.get(0).get("id"))).isEqualTo("version two");
        assertThat(latestJob(doc).get("source")).isEqualTo("database");

        alpha.update("DELETE FROM document WHERE id = ?", remote);
        eventually(() -> "deleted".equals(latestJob(doc).get("status")));
        assertThat(STUB.documents(datasetOf(localKb))).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM source_db_row WHERE kind = 'document'", Integer.class)).isZero();
        eventually(() -> alpha.queryForObject("SELECT count(*) FROM ragsync_outbox", Integer.class) == 0);
    }

    @Test
    void backendDocumentOfALocalKnowledgeBaseIsIndexedLocally() {
        writeFile("alpha/local.txt", "Invoices are paid within thirty days of receipt.");
        long kb = insert(alpha, "INSERT INTO knowledge_base (name, target) VALUES ('Local', 'local')");
        long remote = sourceDocument(kb, "Terms", "alpha/local.txt");
        long doc = awaitLocal("alpha", "document", remote);
        Map<String, Object> job = awaitJob(doc, TERMINAL);
        assertThat(job.get("status")).as("job %s", job).isEqualTo("indexed");
        assertThat(job.get("target")).isEqualTo("local");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM index_chunk WHERE source_type = 'document' AND source_id = ?",
                Integer.class, String.valueOf(doc))).isPositive();
        assertThat(STUB.uploadCount()).isZero();
    }

    @Test
    void ingestionItemEndsIndexedInItsSourceWithTheLogOfThePostgresqlFlow() {
        writeFile("manager/contract.txt", "the manager's contract");
        long node = insert(alpha, "INSERT INTO ingest_document (title, storage_path, knowledge_base)"
                + " VALUES ('Contract', 'manager/contract.txt', 'Contracts')");
        long item = sourceItem(node, "manager/contract.txt");

        Map<String, Object> row = awaitSourceItem(alpha, item, "indexed");
        assertThat(row.get("started_at")).isNotNull();
        assertThat((Timestamp) row.get("ended_at")).isAfterOrEqualTo((Timestamp) row.get("started_at"));
        String ragflowId = (String) STUB.allDocuments().get(0).get("id");
        assertThat((String) row.get("rag_message")).contains(ragflowId).containsIgnoringCase("chunk");
        assertThat(STUB.content(ragflowId)).isEqualTo("the manager's contract");

        long localItem = local("alpha", "ingest_queue_item", item);
        Map<String, Object> hubRow = jdbc.queryForMap("SELECT * FROM ingest_queue_item WHERE id = ?", localItem);
        assertThat(row).containsEntry("status", hubRow.get("status")).containsEntry("rag_message", hubRow.get("rag_message"));
        assertThat(jdbc.queryForObject("SELECT source FROM sync_job WHERE id = ?", String.class, hubRow.get("sync_job_id")))
                .isEqualTo("queue");
        List<String> hubEvents = jdbc.queryForList("SELECT event FROM ingest_log WHERE item_id = ? ORDER BY id",
                String.class, localItem);
        assertThat(hubEvents).contains("queued", "indexed");
        eventually(() -> sourceEvents(alpha, item).equals(hubEvents));
        // the node knows its document in the hub, as ingest_document.document_id does on PostgreSQL
        Long hubDocument = jdbc.queryForObject("SELECT document_id FROM ingest_document WHERE id = ?", Long.class,
                local("alpha", "ingest_document", node));
        assertThat(hubDocument).isNotNull();
        eventually(() -> hubDocument.equals(alpha.queryForObject("SELECT document_id FROM ingest_document WHERE id = ?",
                Long.class, node)));
    }

    @Test
    void ingestionItemsOfALightragKnowledgeBaseEndInTheSourceAsOnPostgresql() {
        LIGHTRAG.reset();
        jdbc.update("INSERT INTO knowledge_base (name, target) VALUES ('Graph', 'lightrag')");
        writeFile("manager/graph.txt", "the graph's contract");
        long node = insert(alpha, "INSERT INTO ingest_document (title, storage_path, knowledge_base)"
                + " VALUES ('Graph contract', 'manager/graph.txt', 'Graph')");
        long item = sourceItem(node, "manager/graph.txt");

        Map<String, Object> row = awaitSourceItem(alpha, item, "indexed");
        assertThat(LIGHTRAG.docs()).singleElement().satisfies(d -> assertThat(d.content).isEqualTo("the graph's contract"));
        long localItem = local("alpha", "ingest_queue_item", item);
        Map<String, Object> hubRow = jdbc.queryForMap("SELECT * FROM ingest_queue_item WHERE id = ?", localItem);
        assertThat(row).containsEntry("status", hubRow.get("status")).containsEntry("rag_message", hubRow.get("rag_message"));
        List<String> hubEvents = jdbc.queryForList("SELECT event FROM ingest_log WHERE item_id = ? ORDER BY id",
                String.class, localItem);
        assertThat(hubEvents).contains("queued", "indexed");
        eventually(() -> sourceEvents(alpha, item).equals(hubEvents));

        // LightRAG unreachable: the item ends failed with the reason in the source's log, the next one indexes
        LIGHTRAG.down(true);
        writeFile("manager/down.txt", "sent while LightRAG is down");
        long downNode = insert(alpha, "INSERT INTO ingest_document (title, storage_path, knowledge_base)"
                + " VALUES ('Down', 'manager/down.txt', 'Graph')");
        long down = sourceItem(downNode, "manager/down.txt");
        Map<String, Object> failed = awaitSourceItem(alpha, down, "failed");
        assertThat((String) failed.get("rag_message")).isNotBlank();
        eventually(() -> sourceEvents(alpha, down).contains("failed"));
        LIGHTRAG.down(false);
        writeFile("manager/after.txt", "sent once LightRAG is back");
        long afterNode = insert(alpha, "INSERT INTO ingest_document (title, storage_path, knowledge_base)"
                + " VALUES ('After', 'manager/after.txt', 'Graph')");
        awaitSourceItem(alpha, sourceItem(afterNode, "manager/after.txt"), "indexed");
    }

    @Test
    void missingFileEndsDownloadFailedWithTheReasonInTheSourceLog() {
        long node = insert(alpha, "INSERT INTO ingest_document (title, storage_path) VALUES ('Missing', 'manager/none.txt')");
        long item = sourceItem(node, "manager/none.txt");

        Map<String, Object> row = awaitSourceItem(alpha, item, "download_failed");
        assertThat((String) row.get("rag_message")).contains("file not found");
        assertThat(row.get("ended_at")).isNotNull();
        eventually(() -> alpha.queryForList("SELECT message FROM ingest_log WHERE item_id = ? AND event = 'download_failed'",
                String.class, item).stream().anyMatch(m -> m.contains("file not found")));
        assertThat(STUB.uploadCount()).isZero();
    }

    @Test
    void twoSourcesWithTheSameIdsFeedOneHubWithoutCollisions() {
        writeFile("alpha/same.txt", "from alpha");
        writeFile("beta/same.txt", "from beta");
        for (JdbcTemplate source : List.of(alpha, beta)) {
            source.update("INSERT INTO knowledge_base (id, name) VALUES (700, 'Shared name')");
        }
        alpha.update("INSERT INTO document (id, knowledge_base_id, title, file_path) VALUES (900, 700, 'Same', 'alpha/same.txt')");
        beta.update("INSERT INTO document (id, knowledge_base_id, title, file_path) VALUES (900, 700, 'Same', 'beta/same.txt')");

        long fromAlpha = awaitLocal("alpha", "document", 900);
        long fromBeta = awaitLocal("beta", "document", 900);
        assertThat(fromAlpha).isNotEqualTo(fromBeta);
        assertThat(local("alpha", "knowledge_base", 700)).isNotEqualTo(local("beta", "knowledge_base", 700));
        assertThat(awaitJob(fromAlpha, TERMINAL).get("status")).isEqualTo("indexed");
        assertThat(awaitJob(fromBeta, TERMINAL).get("status")).isEqualTo("indexed");
        assertThat(STUB.allDocuments()).extracting(d -> STUB.content((String) d.get("id")))
                .containsExactlyInAnyOrder("from alpha", "from beta");

        // deleting one source's document leaves the other's alone
        beta.update("DELETE FROM document WHERE id = 900");
        eventually(() -> "deleted".equals(latestJob(fromBeta).get("status")));
        assertThat(STUB.allDocuments()).extracting(d -> STUB.content((String) d.get("id"))).containsExactly("from alpha");
    }

    @Test
    void replayingRelayedOutboxRowsDuplicatesNothing() throws Exception {
        routes("stop");
        writeFile("alpha/replay.txt", "relayed twice");
        long kb = insert(alpha, "INSERT INTO knowledge_base (name) VALUES ('Replay')");
        sourceDocument(kb, "Replay", "alpha/replay.txt");
        long node = insert(alpha, "INSERT INTO ingest_document (title, storage_path) VALUES ('Item', 'alpha/replay.txt')");
        long item = sourceItem(node, "alpha/replay.txt");
        List<Map<String, Object>> outbox = alpha.queryForList("SELECT * FROM ragsync_outbox ORDER BY id");
        assertThat(outbox).hasSize(3);

        // a relay that committed in the hub but died before deleting its outbox rows: the same rows come again
        assertThat(relay.relay("alpha")).isEqualTo(3);
        for (Map<String, Object> row : outbox) {
            alpha.update("INSERT INTO ragsync_outbox (id, table_name, op, row_id, created_at) VALUES (?, ?, ?, ?, ?)",
                    row.get("id"), row.get("table_name"), row.get("op"), row.get("row_id"), row.get("created_at"));
        }
        assertThat(relay.relay("alpha")).isEqualTo(3);
        routes("start");

        awaitSourceItem(alpha, item, "indexed");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM document", Integer.class)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM knowledge_base WHERE name = 'Replay'", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ingest_queue_item", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_job WHERE op = 'upsert'", Integer.class)).isEqualTo(2);

        // a write-back that wrote the source but died before its watermarks: written again, nothing twice
        List<String> events = awaitSourceEventsSettled(item);
        routes("stop");
        jdbc.update("UPDATE source_db_row SET mirrored_updated_at = NULL, mirrored_log_id = 0");
        assertThat(relay.writeBack("alpha")).isPositive();
        assertThat(sourceEvents(alpha, item)).isEqualTo(events);
        routes("start");
    }

    @Test
    void jobsDateFromTheChangeInTheSourceNotFromTheRelay() {
        routes("stop");
        writeFile("alpha/late.txt", "changed while the hub was down");
        long kb = insert(alpha, "INSERT INTO knowledge_base (name) VALUES ('Late')");
        long remote = sourceDocument(kb, "Late", "alpha/late.txt");
        long node = insert(alpha, "INSERT INTO ingest_document (title, storage_path) VALUES ('Late item', 'alpha/late.txt')");
        long item = sourceItem(node, "alpha/late.txt");
        // the changes waited an hour in the outbox (a hub that was down)
        alpha.update("UPDATE ragsync_outbox SET created_at = created_at - INTERVAL 1 HOUR");
        routes("start");

        long doc = awaitLocal("alpha", "document", remote);
        awaitSourceItem(alpha, item, "indexed");
        long localItem = local("alpha", "ingest_queue_item", item);
        for (Object job : jdbc.queryForList("SELECT j.id FROM sync_job j WHERE j.document_id = ? OR j.id = "
                + "(SELECT i.sync_job_id FROM ingest_queue_item i WHERE i.id = ?)", Object.class, doc, localItem)) {
            assertThat(jdbc.queryForObject("SELECT changed_at < now() - interval '50 minutes' FROM sync_job WHERE id = ?",
                    Boolean.class, job)).as("job %s dates from the change in the source", job).isTrue();
        }
    }

    @Test
    void aRowTheHubRefusesIsSetAsideAndTheRestFlowsOn() {
        routes("stop");
        writeFile("alpha/after.txt", "behind a refused row");
        // a target the hub does not know: PostgreSQL's check refuses the knowledge base
        long refused = insert(alpha, "INSERT INTO knowledge_base (name, target) VALUES ('Elsewhere', 'nowhere')");
        long kb = insert(alpha, "INSERT INTO knowledge_base (name) VALUES ('Fine')");
        long remote = sourceDocument(kb, "After", "alpha/after.txt");
        routes("start");

        long doc = awaitLocal("alpha", "document", remote);
        assertThat(awaitJob(doc, TERMINAL).get("status")).isEqualTo("indexed");
        eventually(() -> alpha.queryForObject("SELECT count(*) FROM ragsync_outbox", Integer.class) == 1);
        Map<String, Object> row = alpha.queryForMap("SELECT * FROM ragsync_outbox");
        assertThat(((Number) row.get("row_id")).longValue()).isEqualTo(refused);
        assertThat(row.get("refused_at")).isNotNull();
        assertThat((String) row.get("refused_reason")).contains("target");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM knowledge_base WHERE name = 'Elsewhere'", Integer.class)).isZero();

        // fixed in the source: the change relays
        alpha.update("UPDATE knowledge_base SET target = 'ragflow' WHERE id = ?", refused);
        awaitLocal("alpha", "knowledge_base", refused);
    }

    @Test
    void writeBackReadsOnlyTheItemsThatChangedNotEveryItemEverRelayed() {
        routes("stop");
        // 20,000 items relayed and written back long ago (their hub rows need not exist for the plan)
        jdbc.update("INSERT INTO source_db_row (source_db, kind, remote_id, local_id, changed_updated_at,"
                + " mirrored_updated_at, changed_log_id, mirrored_log_id)"
                + " SELECT 'alpha', 'ingest_queue_item', g, 1000000 + g, now(), now(), 5, 5 FROM generate_series(1, 20000) g");
        jdbc.execute("ANALYZE source_db_row");
        for (String statement : List.of("select-item-changes", "select-item-log-lines")) {
            String plan = String.join("\n", jdbc.queryForList("EXPLAIN " + SourceDatabaseRelay.sql(statement)
                    .replace(":source", "'alpha'").replace(":batchSize", "100"), String.class));
            assertThat(plan).as("plan of %s", statement).doesNotContain("Seq Scan on source_db_row");
        }
        jdbc.update("DELETE FROM source_db_row");
        routes("start");
    }

    @Test
    void aRelayPassesOverTheRowsAnotherHubHasClaimed() throws Exception {
        routes("stop");
        insert(alpha, "INSERT INTO knowledge_base (name) VALUES ('Claimed by the other hub')");
        long mine = insert(alpha, "INSERT INTO knowledge_base (name) VALUES ('Left for this hub')");
        // another hub's relay holds the first outbox row in its open transaction
        Integer relayedMeanwhile = sources.get("alpha").tx().execute(status -> {
            alpha.queryForList("SELECT id FROM ragsync_outbox ORDER BY id LIMIT 1 FOR UPDATE");
            try {
                return CompletableFuture.supplyAsync(() -> relay.relay("alpha"))
                        .get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(relayedMeanwhile).isEqualTo(1);
        assertThat(local("alpha", "knowledge_base", mine)).isPositive();
        assertThat(alpha.queryForObject("SELECT count(*) FROM ragsync_outbox", Integer.class)).isEqualTo(1);
        assertThat(relay.relay("alpha")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM knowledge_base", Integer.class)).isEqualTo(2);
        routes("start");
    }

    @Test
    void singleModeRunsTheSourcesItemsOneAtATimeInCreationOrder() {
        camel.getPropertiesComponent().addOverrideProperty("app.queue.concurrency", "single");
        routes("stop");
        // inserted in one order, created in another: created_at decides
        int[] createdOffsets = {3, 1, 4, 2};
        long[] items = new long[createdOffsets.length];
        for (int i = 0; i < items.length; i++) {
            writeFile("fifo/f" + i + ".txt", "fifo " + i);
            long node = insert(alpha, "INSERT INTO ingest_document (title, storage_path, knowledge_base) VALUES ('F" + i
                    + "', 'fifo/f" + i + ".txt', 'Fifo')");
            items[i] = insert(alpha, "INSERT INTO ingest_queue_item (document_node_id, storage_path, created_at) VALUES ("
                    + node + ", 'fifo/f" + i + ".txt', CURRENT_TIMESTAMP(6) + INTERVAL " + createdOffsets[i] + " SECOND)");
        }
        routes("start");
        for (long item : items) {
            awaitSourceItem(alpha, item, "indexed");
        }
        List<Map<String, Object>> byCreation = alpha.queryForList(
                "SELECT id, started_at, ended_at FROM ingest_queue_item ORDER BY created_at");
        assertThat(byCreation).extracting(r -> ((Number) r.get("id")).longValue())
                .containsExactly(items[1], items[3], items[0], items[2]);
        for (int i = 1; i < byCreation.size(); i++) {
            assertThat((Timestamp) byCreation.get(i).get("started_at"))
                    .as("item %s starts after the previous one ended", byCreation.get(i).get("id"))
                    .isAfterOrEqualTo((Timestamp) byCreation.get(i - 1).get("ended_at"));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private void routes(String action) {
        try {
            for (String name : List.of("alpha", "beta")) {
                for (String route : List.of("source-database-relay-", "source-database-write-back-")) {
                    if (action.equals("stop")) {
                        camel.getRouteController().stopRoute(route + name);
                    } else {
                        camel.getRouteController().startRoute(route + name);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs an INSERT in a source and returns the id it generated (one connection: LAST_INSERT_ID is per session). */
    private static long insert(JdbcTemplate source, String sql, Object... args) {
        return source.execute((Connection c) -> {
            try (var statement = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 0; i < args.length; i++) {
                    statement.setObject(i + 1, args[i]);
                }
                statement.executeUpdate();
                try (var keys = statement.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    private long sourceItem(long node, String storagePath) {
        return insert(alpha, "INSERT INTO ingest_queue_item (document_node_id, storage_path) VALUES (?, ?)", node, storagePath);
    }

    private long sourceDocument(long knowledgeBase, String title, String filePath) {
        return insert(alpha, "INSERT INTO document (knowledge_base_id, title, file_path) VALUES (?, ?, ?)",
                knowledgeBase, title, filePath);
    }

    private long local(String source, String kind, long remoteId) {
        return jdbc.queryForObject("SELECT local_id FROM source_db_row WHERE source_db = ? AND kind = ? AND remote_id = ?",
                Long.class, source, kind, remoteId);
    }

    private long awaitLocal(String source, String kind, long remoteId) {
        eventually(() -> jdbc.queryForObject("SELECT count(*) FROM source_db_row WHERE source_db = ? AND kind = ?"
                + " AND remote_id = ?", Integer.class, source, kind, remoteId) == 1);
        return local(source, kind, remoteId);
    }

    private Map<String, Object> awaitSourceItem(JdbcTemplate source, long item, String status) {
        eventually(() -> status.equals(source.queryForObject("SELECT status FROM ingest_queue_item WHERE id = ?",
                String.class, item)));
        return source.queryForMap("SELECT * FROM ingest_queue_item WHERE id = ?", item);
    }

    private static List<String> sourceEvents(JdbcTemplate source, long item) {
        return source.queryForList("SELECT event FROM ingest_log WHERE item_id = ? ORDER BY id", String.class, item);
    }

    /** The item's log in its source once every hub line is there. */
    private List<String> awaitSourceEventsSettled(long item) {
        long localItem = local("alpha", "ingest_queue_item", item);
        eventually(() -> sourceEvents(alpha, item).equals(jdbc.queryForList(
                "SELECT event FROM ingest_log WHERE item_id = ? ORDER BY id", String.class, localItem)));
        return sourceEvents(alpha, item);
    }
}
