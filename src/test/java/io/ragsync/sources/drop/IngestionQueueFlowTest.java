package io.ragsync.sources.drop;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.support.HubTestSupport;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The manager application's ingestion queue: items inserted in ingest_queue_item ride on the job queue and
 * their status, times, message and log are mirrored back (queued -> processing -> indexed | failed |
 * download_failed), FIFO, in parallel or single mode, with lease recovery.
 */
class IngestionQueueFlowTest extends HubTestSupport {

    @Autowired
    TransactionTemplate tx;

    @AfterEach
    void parallelAgain() {
        camel.getPropertiesComponent().addOverrideProperty("app.queue.concurrency", "parallel");
    }

    @Test
    void queuedItemIsIndexedWithTimesMessageAndLog() {
        writeFile("manager/contract.txt", "the manager's contract");
        long node = node("Contract", "manager/contract.txt", "Contracts");
        long item = item(node, "manager/contract.txt");
        assertThat(itemRow(item).get("status")).isIn("queued", "processing");

        Map<String, Object> row = awaitItem(item, "indexed");
        assertThat(row.get("started_at")).isNotNull();
        assertThat((Timestamp) row.get("ended_at")).isAfterOrEqualTo((Timestamp) row.get("started_at"));
        String ragflowId = (String) RAGFLOW.allDocuments().get(0).get("id");
        assertThat((String) row.get("rag_message")).contains(ragflowId).containsIgnoringCase("chunk");
        assertThat(RAGFLOW.content(ragflowId)).isEqualTo("the manager's contract");
        assertThat(jdbc.queryForObject("SELECT name FROM knowledge_base k JOIN document d ON d.knowledge_base_id = k.id"
                + " JOIN ingest_document n ON n.document_id = d.id WHERE n.id = ?", String.class, node)).isEqualTo("Contracts");
        assertThat(jdbc.queryForObject("SELECT source FROM sync_job WHERE id = ?", String.class, row.get("sync_job_id")))
                .isEqualTo("queue");
        assertThat(events(item)).contains("queued", "indexed");

        // a second item for the same node and an unchanged file: ingested again, nothing uploaded twice
        long again = item(node, "manager/contract.txt");
        assertThat((String) awaitItem(again, "indexed").get("rag_message")).contains("unchanged");
        assertThat(RAGFLOW.uploadCount()).isEqualTo(1);
    }

    @Test
    void singleModeTakesOneItemAtATimeInFifoOrder() {
        camel.getPropertiesComponent().addOverrideProperty("app.queue.concurrency", "single");
        double skipsBefore = skips();
        // inserted in one order, created in another: created_at decides
        long[] items = new long[4];
        int[] createdOffsets = {3, 1, 4, 2};
        tx.executeWithoutResult(status -> {
            for (int i = 0; i < items.length; i++) {
                writeFile("fifo/f" + i + ".txt", "fifo " + i);
                long node = node("F" + i, "fifo/f" + i + ".txt", "Fifo");
                items[i] = jdbc.queryForObject("INSERT INTO ingest_queue_item (document_node_id, storage_path, created_at)"
                        + " VALUES (?, ?, now() + make_interval(secs => ?)) RETURNING id", Long.class,
                        node, "fifo/f" + i + ".txt", createdOffsets[i]);
            }
            jdbc.update("UPDATE sync_job j SET created_at = i.created_at FROM ingest_queue_item i WHERE i.sync_job_id = j.id");
        });
        for (long item : items) {
            awaitItem(item, "indexed");
        }
        List<Map<String, Object>> byCreation = jdbc.queryForList(
                "SELECT id, started_at, ended_at FROM ingest_queue_item ORDER BY created_at");
        assertThat(byCreation).extracting(r -> r.get("id")).containsExactly(items[1], items[3], items[0], items[2]);
        for (int i = 1; i < byCreation.size(); i++) {
            Timestamp previousEnd = (Timestamp) byCreation.get(i - 1).get("ended_at");
            Timestamp start = (Timestamp) byCreation.get(i).get("started_at");
            assertThat(start).as("item %s starts after the previous one ended", byCreation.get(i).get("id"))
                    .isAfterOrEqualTo(previousEnd);
        }
        assertThat(skips()).isGreaterThan(skipsBefore);
    }

    @Test
    void parallelModeRunsItemsSideBySide() {
        RAGFLOW.parsePollsToFinish(3);
        long[] items = new long[3];
        tx.executeWithoutResult(status -> {
            for (int i = 0; i < items.length; i++) {
                writeFile("par/p" + i + ".txt", "parallel " + i);
                items[i] = item(node("P" + i, "par/p" + i + ".txt", "Parallel"), "par/p" + i + ".txt");
            }
        });
        for (long item : items) {
            awaitItem(item, "indexed");
        }
        // all three were processing at the same time: each started before any ended
        Timestamp lastStart = jdbc.queryForObject("SELECT max(started_at) FROM ingest_queue_item", Timestamp.class);
        Timestamp firstEnd = jdbc.queryForObject("SELECT min(ended_at) FROM ingest_queue_item", Timestamp.class);
        assertThat(lastStart).isBefore(firstEnd);
    }

    @Test
    void missingFileAndEscapingPathEndDownloadFailedWithLog() {
        long missing = item(node("Missing", "manager/none.txt", "Queue"), "manager/none.txt");
        long escaping = item(node("Escaping", "../etc/passwd", "Queue"), "../etc/passwd");

        Map<String, Object> m = awaitItem(missing, "download_failed");
        assertThat((String) m.get("rag_message")).contains("file not found");
        assertThat(m.get("ended_at")).isNotNull();
        Map<String, Object> e = awaitItem(escaping, "download_failed");
        assertThat((String) e.get("rag_message")).contains("escapes the storage root");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ingest_log WHERE item_id = ? AND event = 'download_failed'",
                Integer.class, escaping)).isEqualTo(1);
        assertThat(RAGFLOW.uploadCount()).isZero();
    }

    @Test
    void backendDownEndsFailedWithTheErrorLogged() {
        RAGFLOW.wireMock().stubFor(any(anyUrl()).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("<html>503 Service Unavailable</html>")));
        writeFile("down/doc.txt", "nobody answers");
        long item = item(node("Down", "down/doc.txt", "Down"), "down/doc.txt");

        Map<String, Object> row = awaitItem(item, "failed");
        assertThat((String) row.get("rag_message")).contains("503");
        assertThat(row.get("ended_at")).isNotNull();
        List<Map<String, Object>> log = jdbc.queryForList("SELECT level, event, message FROM ingest_log WHERE item_id = ? ORDER BY id", item);
        assertThat(log).anySatisfy(l -> {
            assertThat(l.get("level")).isEqualTo("ERROR");
            assertThat((String) l.get("message")).contains("503");
        });
        assertThat(log).extracting(l -> l.get("event")).contains("queued", "failed");
        assertThat(log).filteredOn(l -> "WARN".equals(l.get("level"))).isNotEmpty();
    }

    @Test
    void staleProcessingItemOfACrashedInstanceIsRecovered() {
        writeFile("crash/doc.txt", "the instance died holding this");
        long item = tx.execute(status -> {
            long id = item(node("Crash", "crash/doc.txt", "Crash"), "crash/doc.txt");
            crash(id, 0);
            return id;
        });
        assertThat(itemRow(item).get("status")).isEqualTo("processing");

        awaitItem(item, "indexed");
        assertThat(jdbc.queryForList("SELECT message FROM ingest_log WHERE item_id = ? AND event = 'lease_expired'",
                String.class, item)).singleElement().asString().contains("dead-instance").contains("now queued");
    }

    @Test
    void itemThatKeepsCrashingItsWorkerEndsFailed() {
        writeFile("crash/poison.txt", "kills every worker");
        long item = tx.execute(status -> {
            long id = item(node("Poison", "crash/poison.txt", "Crash"), "crash/poison.txt");
            crash(id, 3);
            return id;
        });
        Map<String, Object> row = awaitItem(item, "failed");
        assertThat((String) row.get("rag_message")).contains("lease expired");
        assertThat(events(item)).contains("lease_expired");
        assertThat(RAGFLOW.uploadCount()).isZero();
    }

    @Test
    void heartbeatKeepsTheLeaseOfALiveInstanceUntilTheJobRunsTooLong() {
        gate.pause("test: this instance claims nothing");
        writeFile("beat/doc.txt", "a long upload");
        long item = item(node("Beat", "beat/doc.txt", "Beat"), "beat/doc.txt");
        // this (live) process claimed the job and holds it; its lease is about to run out
        Map<String, Object> claimed = jdbc.queryForMap("UPDATE sync_job j SET status = 'processing', phase = 'sync',"
                + " claimed_by = 'test-instance-1', claim_token = ?, started_at = now(),"
                + " lease_until = now() + interval '1 second'"
                + " FROM ingest_queue_item i WHERE i.id = ? AND i.sync_job_id = j.id RETURNING j.id AS job_id",
                camel.getRegistry().lookupByNameAndType("processClaim", io.ragsync.jobs.ProcessClaim.class).token(), item);
        slots.claimed(List.of(claimed));
        eventually(() -> jdbc.queryForObject("SELECT j.lease_until > now() + interval '20 seconds' FROM sync_job j"
                + " JOIN ingest_queue_item i ON i.sync_job_id = j.id WHERE i.id = ?", Boolean.class, item));
        assertThat(itemRow(item).get("status")).isEqualTo("processing");

        // running for longer than app.jobs.max-run-seconds: taken as hung, no longer renewed, recovered
        jdbc.update("UPDATE sync_job j SET started_at = now() - interval '3 hours', lease_until = now()"
                + " FROM ingest_queue_item i WHERE i.id = ? AND i.sync_job_id = j.id", item);
        awaitItem(item, "queued");
        assertThat(events(item)).contains("lease_expired");
        gate.reopen();
        awaitItem(item, "indexed");
    }

    @Test
    void onlyTheJobsOfItemsAreMirroredOntoItems() {
        // one transaction, rolled back (the poller never sees its jobs), with plpgsql calls counted
        tx.executeWithoutResult(status -> {
            jdbc.execute("SET LOCAL track_functions = 'pl'");
            long doc = document(knowledgeBase("Mirror"), "Backend", "mirror/backend.txt");
            jdbc.update("UPDATE sync_job SET status = 'processing', started_at = now() WHERE document_id = ?", doc);
            jdbc.update("UPDATE sync_job SET status = 'indexed', ended_at = now() WHERE document_id = ?", doc);
            assertThat(mirrorCalls()).as("a backend job's transitions").isZero();

            long node = node("Queued", "mirror/queued.txt", "Mirror");
            long item = item(node, "mirror/queued.txt");
            jdbc.update("UPDATE sync_job j SET status = 'processing', started_at = now() FROM ingest_queue_item i"
                    + " WHERE i.id = ? AND j.id = i.sync_job_id", item);
            assertThat(itemRow(item).get("status")).isEqualTo("processing");
            // a newer event of the document from the backend, then the item's job superseded: the item goes over
            // to the backend's job and follows it from there
            jdbc.update("UPDATE document d SET title = 'Queued, renamed' FROM ingest_document n"
                    + " WHERE n.id = ? AND d.id = n.document_id", node);
            jdbc.update("UPDATE sync_job j SET status = 'superseded', ended_at = now() FROM ingest_queue_item i"
                    + " WHERE i.id = ? AND j.id = i.sync_job_id", item);
            Map<String, Object> next = jdbc.queryForMap("SELECT j.id, j.source FROM sync_job j"
                    + " JOIN ingest_queue_item i ON i.sync_job_id = j.id WHERE i.id = ?", item);
            assertThat(next.get("source")).isEqualTo("backend");
            jdbc.update("UPDATE sync_job SET status = 'indexed', ended_at = now(), rag_message = 'indexed, 1 chunk'"
                    + " WHERE id = ?", next.get("id"));
            assertThat(itemRow(item)).containsEntry("status", "indexed").containsEntry("rag_message", "indexed, 1 chunk");
            assertThat(mirrorCalls()).as("the item's jobs' transitions").isEqualTo(3);
            status.setRollbackOnly();
        });
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private void crash(long item, int retriesUsed) {
        jdbc.update("UPDATE sync_job j SET status = 'processing', phase = 'sync', claimed_by = 'dead-instance',"
                + " retry_count = ?, started_at = now() - interval '1 hour', lease_until = now() - interval '1 minute'"
                + " FROM ingest_queue_item i WHERE i.id = ? AND i.sync_job_id = j.id", retriesUsed, item);
    }

    private long mirrorCalls() {
        return jdbc.queryForObject("SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions"
                + " WHERE funcname = 'ragsync_mirror_job_to_ingest'", Long.class);
    }

    private long node(String title, String storagePath, String knowledgeBase) {
        return jdbc.queryForObject("INSERT INTO ingest_document (title, storage_path, knowledge_base) VALUES (?, ?, ?)"
                + " RETURNING id", Long.class, title, storagePath, knowledgeBase);
    }

    private long item(long node, String storagePath) {
        return jdbc.queryForObject("INSERT INTO ingest_queue_item (document_node_id, storage_path) VALUES (?, ?) RETURNING id",
                Long.class, node, storagePath);
    }

    private Map<String, Object> itemRow(long item) {
        return jdbc.queryForMap("SELECT * FROM ingest_queue_item WHERE id = ?", item);
    }

    private Map<String, Object> awaitItem(long item, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> status.equals(itemRow(item).get("status")));
        return itemRow(item);
    }

    private List<String> events(long item) {
        return jdbc.queryForList("SELECT event FROM ingest_log WHERE item_id = ? ORDER BY id", String.class, item);
    }

    private double skips() {
        var counter = meters.find("ragsync.queue.single.skips").counter();
        return counter == null ? 0 : counter.count();
    }
}
