-- Claims up to :#batchSize due jobs for this instance, oldest first (FIFO by created_at). SKIP LOCKED lets
-- several instances claim side by side without waiting or double work. Not claimed:
--   * a document whose job is still in progress (until that job ends);
--   * more than one job of a RAGFlow knowledge base that has no dataset yet (the first creates it, the rest
--     reuse it);
--   * jobs for a target whose gate is closed (RAGFlow rejected the key);
--   * nothing at all while this instance stops (:#claiming false, graceful stop);
--   * with app.queue.concurrency 'single' (:#queueSingle): a manager-queue job (source 'queue') while another
--     one is processing on any instance, and never more than one per claim (ragsync_queue_slot_free, V11).
WITH queue_gate AS MATERIALIZED (
    SELECT CASE WHEN CAST(:#queueSingle AS BOOLEAN) THEN ragsync_queue_slot_free() ELSE true END AS open
)
UPDATE sync_job j
   SET status = 'processing',
       phase = 'sync',
       claimed_by = :#instanceId,
       -- the moment of the claim, not the statement's start: the single-mode gate may wait for a lock first
       started_at = clock_timestamp(),
       ended_at = NULL,
       updated_at = now(),
       lease_until = now() + make_interval(secs => :#leaseSeconds)
 WHERE CAST(:#claiming AS BOOLEAN)
   AND j.id IN (
        SELECT s.id
          FROM sync_job s
         WHERE s.status = 'queued'
           AND s.id IN (
                SELECT c.id
                  FROM (SELECT q.id, q.created_at, q.source,
                               row_number() OVER (PARTITION BY q.knowledge_base_id
                                                  ORDER BY q.created_at, q.id) AS kb_rank,
                               row_number() OVER (PARTITION BY q.source = 'queue'
                                                  ORDER BY q.created_at, q.id) AS source_rank,
                               -- only RAGFlow has a dataset to create first; the local index needs none
                               (q.target <> 'ragflow'
                                OR EXISTS (SELECT 1 FROM kb_dataset m
                                            WHERE m.knowledge_base_id = q.knowledge_base_id)) AS kb_mapped
                          FROM sync_job q
                         WHERE q.status = 'queued'
                           AND (q.next_retry_at IS NULL OR q.next_retry_at <= now())
                           AND (q.target <> 'ragflow' OR :#ragflowOpen)
                           AND NOT EXISTS (SELECT 1 FROM sync_job p
                                            WHERE p.status = 'processing'
                                              AND p.document_id = q.document_id)) c
                  CROSS JOIN queue_gate g
                 WHERE (c.kb_mapped
                        OR (c.kb_rank = 1
                            AND NOT EXISTS (SELECT 1 FROM sync_job p
                                             JOIN sync_job x ON x.id = c.id
                                            WHERE p.status = 'processing' AND p.phase = 'sync'
                                              AND p.knowledge_base_id = x.knowledge_base_id)))
                   AND (c.source <> 'queue' OR NOT CAST(:#queueSingle AS BOOLEAN)
                        OR (g.open AND c.source_rank = 1))
                 ORDER BY c.created_at, c.id
                 LIMIT :#batchSize * 4)
         ORDER BY s.created_at, s.id
         LIMIT :#batchSize
           FOR UPDATE SKIP LOCKED)
RETURNING j.id AS job_id, j.document_id, j.knowledge_base_id, j.op, j.source, j.target, j.retry_count
