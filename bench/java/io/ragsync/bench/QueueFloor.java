package io.ragsync.bench;

import io.ragsync.targets.local.LocalEmbeddingModel;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.flywaydb.core.Flyway;

/**
 * The cheapest durable job queue on PostgreSQL for the bulk bench's documents (bench/README.md, "queue floor"):
 * the hub's own schema (its Flyway migrations: sync_job and its indexes, sync_job_log, document_sync, the
 * change-capture triggers that turn the bench's insert into jobs), jobs claimed for free workers only with
 * {@code FOR UPDATE SKIP LOCKED}, each run by the direct client's four calls, and the least bookkeeping the hub
 * promises per job - the claim, the outcome, one log row, the document's status - written with plain JDBC, the
 * completions batched as River and graphile-worker batch them. No Camel, no connection pool, no heartbeat (a
 * bulk ends within one lease). What its PostgreSQL spends per document bounds what any queue with the hub's
 * guarantees spends.
 */
final class QueueFloor implements AutoCloseable {

    /**
     * FIFO, due jobs only, never a second job of a document that has one running (the hub's per-document order);
     * the document's file is read with the claim.
     */
    private static final String CLAIM = """
            UPDATE sync_job j
               SET status = 'processing', phase = 'sync', claimed_by = 'queue-floor', claim_token = ?,
                   started_at = now(), ended_at = NULL, updated_at = now(), lease_until = now() + interval '30 seconds'
              FROM document d
             WHERE d.id = j.document_id
               AND j.id IN (SELECT q.id FROM sync_job q
                             WHERE q.status = 'queued' AND (q.next_retry_at IS NULL OR q.next_retry_at <= now())
                               AND NOT EXISTS (SELECT 1 FROM sync_job p
                                                WHERE p.status = 'processing' AND p.document_id = q.document_id)
                             ORDER BY q.created_at, q.id
                             LIMIT ?
                               FOR UPDATE SKIP LOCKED)
            RETURNING j.id, d.file_path""";

    /** A batch of ended jobs in one statement: each job's outcome, its log row and its document's status. */
    private static final String COMPLETE = """
            WITH done AS (
                UPDATE sync_job j
                   SET status = 'indexed', phase = NULL, ended_at = now(), updated_at = now(), lease_until = NULL
                  FROM unnest(?::bigint[], ?::text[]) AS d(id, ragflow_id)
                 WHERE j.id = d.id AND j.status = 'processing'
                RETURNING j.id, j.document_id, j.knowledge_base_id, d.ragflow_id
            ), logged AS (
                INSERT INTO sync_job_log (job_id, level, event) SELECT id, 'INFO', 'indexed' FROM done
            )
            INSERT INTO document_sync (document_id, knowledge_base_id, ragflow_document_id, status, last_job_id,
                                       synced_at, updated_at)
            SELECT document_id, knowledge_base_id, ragflow_id, 'indexed', id, now(), now() FROM done
            ON CONFLICT (document_id) DO UPDATE
               SET knowledge_base_id = EXCLUDED.knowledge_base_id, ragflow_document_id = EXCLUDED.ragflow_document_id,
                   status = EXCLUDED.status, last_job_id = EXCLUDED.last_job_id, last_error = NULL,
                   synced_at = now(), updated_at = now()""";

    /** How long a completion may wait for others to share its statement (River's completer flushes about as often). */
    private static final long FLUSH_MS = 50;
    private static final int MAX_BATCH = 500;
    /** The hub's default app.jobs.poll-interval-ms: how long an empty claim waits before the next. */
    private static final long POLL_MS = 1000;

    private record Claimed(long job, String file) {
    }

    private record Ended(long job, String ragflowId) {
    }

    private final Bench.Baseline client;
    private final Connection progress;
    private final Connection claims;
    private final Connection completions;
    private final long knowledgeBase;
    private final String claimToken = UUID.randomUUID().toString();
    private final Semaphore freeWorkers;
    private final ExecutorService workers;
    private final BlockingQueue<Ended> ended = new LinkedBlockingQueue<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicLong claimStatements = new AtomicLong();
    private final AtomicLong claimedJobs = new AtomicLong();
    private final AtomicLong flushes = new AtomicLong();
    private final Thread claimer;
    private final Thread completer;
    private volatile boolean running = true;
    private int expected;

    /** Migrates a fresh database to the hub's schema and starts the claim loop and the completer. */
    QueueFloor(String jdbcUrl, Bench.Baseline client, int parallelism) throws Exception {
        Flyway.configure().dataSource(jdbcUrl, "postgres", "").locations("classpath:db/migration")
                .placeholders(Map.of("embedding_dimension", String.valueOf(LocalEmbeddingModel.DIMENSION))).load().migrate();
        this.client = client;
        progress = DriverManager.getConnection(jdbcUrl, "postgres", "");
        claims = DriverManager.getConnection(jdbcUrl, "postgres", "");
        completions = DriverManager.getConnection(jdbcUrl, "postgres", "");
        knowledgeBase = Bench.scalar(progress, "INSERT INTO knowledge_base (name) VALUES ('Bench') RETURNING id");
        client.ensureDataset();
        freeWorkers = new Semaphore(parallelism);
        workers = Executors.newFixedThreadPool(parallelism);
        claimer = new Thread(this::claimLoop, "queue-floor-claims");
        completer = new Thread(this::completeLoop, "queue-floor-completions");
        claimer.start();
        completer.start();
    }

    /** Inserts the documents as the backend would (the triggers enqueue them) and returns once all are indexed. */
    void run(List<String> names) throws Exception {
        claimStatements.set(0);
        claimedJobs.set(0);
        flushes.set(0);
        Bench.insertDocuments(progress, knowledgeBase, names);
        expected += names.size();
        Bench.awaitIndexed(progress, expected, 200, () -> {
            if (failure.get() != null) {
                throw new IllegalStateException("a queue floor job failed", failure.get());
            }
        });
    }

    /** Claims as many jobs as workers are free, as soon as one is; waits POLL_MS after an empty claim. */
    private void claimLoop() {
        try (PreparedStatement claim = claims.prepareStatement(CLAIM)) {
            claim.setString(1, claimToken);
            while (running) {
                freeWorkers.acquire();
                int free = 1 + freeWorkers.drainPermits();
                claim.setInt(2, free);
                List<Claimed> batch = new ArrayList<>(free);
                try (ResultSet rs = claim.executeQuery()) {
                    while (rs.next()) {
                        batch.add(new Claimed(rs.getLong(1), rs.getString(2)));
                    }
                }
                claimStatements.incrementAndGet();
                claimedJobs.addAndGet(batch.size());
                freeWorkers.release(free - batch.size());
                for (Claimed job : batch) {
                    workers.execute(() -> work(job));
                }
                if (batch.isEmpty()) {
                    TimeUnit.MILLISECONDS.sleep(POLL_MS);
                }
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    private void work(Claimed job) {
        try {
            ended.add(new Ended(job.job(), client.one(job.file())));
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        } finally {
            freeWorkers.release();
        }
    }

    /** Writes ended jobs in batches: whatever ended within FLUSH_MS of the first, in one statement. */
    private void completeLoop() {
        try (PreparedStatement complete = completions.prepareStatement(COMPLETE)) {
            while (running || !ended.isEmpty()) {
                Ended first = ended.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Ended> batch = new ArrayList<>(List.of(first));
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MS);
                Ended next;
                while (batch.size() < MAX_BATCH
                        && (next = ended.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
                    batch.add(next);
                }
                Array ids = completions.createArrayOf("bigint", batch.stream().map(Ended::job).toArray(Long[]::new));
                Array ragflowIds = completions.createArrayOf("text", batch.stream().map(Ended::ragflowId).toArray(String[]::new));
                complete.setArray(1, ids);
                complete.setArray(2, ragflowIds);
                complete.executeUpdate();
                flushes.incrementAndGet();
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    /** The last run's statements per job. */
    String statementsPerJob() {
        long jobs = Math.max(1, claimedJobs.get());
        return String.format(Locale.ROOT, "%d jobs claimed, %.2f claim and %.2f completion statements per job",
                claimedJobs.get(), (double) claimStatements.get() / jobs, (double) flushes.get() / jobs);
    }

    @Override
    public void close() throws Exception {
        running = false;
        claimer.interrupt();
        workers.shutdownNow();
        completer.join(TimeUnit.SECONDS.toMillis(10));
        claimer.join(TimeUnit.SECONDS.toMillis(10));
        progress.close();
        claims.close();
        completions.close();
    }
}
