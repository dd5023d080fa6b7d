-- The claim takes at most p_limit jobs whatever plan PostgreSQL picks. V104 locked the jobs in a subquery of
-- the UPDATE (WHERE j.id IN (... LIMIT p_limit FOR UPDATE SKIP LOCKED)). When the planner believed the job table
-- almost empty, as its statistics do right after a bulk insert, it rescanned that subquery for each row, and each
-- rescan skipped the rows the update had just changed and locked the next ones: a claim of 2 took 8 jobs, more
-- than the workers reserved for it. The jobs are now locked once, in a materialized CTE, and the UPDATE joins it.
-- Rules and parameters are V104's.
CREATE OR REPLACE FUNCTION ragsync_job_claim(p_limit INT, p_token TEXT, p_instance TEXT, p_lease_seconds DOUBLE PRECISION,
                                  p_claiming BOOLEAN, p_ragflow_open BOOLEAN, p_queue_single BOOLEAN,
                                  p_max_parsing INT, p_backlog_seconds INT)
RETURNS TABLE (job_id BIGINT, document_id BIGINT, knowledge_base_id BIGINT, op TEXT, source TEXT, target TEXT,
               retry_count INT)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    IF NOT p_claiming OR p_limit < 1 THEN
        RETURN;
    END IF;
    RETURN QUERY
    WITH queue_gate AS MATERIALIZED (
        SELECT CASE WHEN p_queue_single THEN ragsync_queue_slot_free() ELSE true END AS open
    ),
    ragflow_room AS MATERIALIZED (
        SELECT NOT b.holding_back AS open
          FROM ragsync_ragflow_backpressure(p_max_parsing, p_backlog_seconds) b
    ),
    head AS MATERIALIZED (
        SELECT q.id, q.created_at, q.source, q.knowledge_base_id, q.document_id, q.target
          FROM sync_job q
         WHERE q.status = 'queued'
           AND (q.next_retry_at IS NULL OR q.next_retry_at <= now())
           AND (q.target <> 'ragflow' OR p_ragflow_open)
           AND (q.target <> 'ragflow' OR q.op <> 'upsert' OR (SELECT r.open FROM ragflow_room r))
         ORDER BY q.created_at, q.id
         LIMIT p_limit * 20
    ),
    -- checked on the head only (a few hundred rows): right after a bulk insert the planner's statistics still
    -- see an empty queue, and the same check over the whole queue became a nested loop over every pair of rows
    free AS MATERIALIZED (
        SELECT h.*
          FROM head h
         WHERE NOT EXISTS (SELECT 1 FROM sync_job p
                            WHERE p.status = 'processing'
                              AND p.document_id = h.document_id)
    ),
    ranked AS (
        SELECT f.id, f.created_at, f.source, f.knowledge_base_id,
               row_number() OVER (PARTITION BY f.knowledge_base_id ORDER BY f.created_at, f.id) AS kb_rank,
               row_number() OVER (PARTITION BY f.source = 'queue' ORDER BY f.created_at, f.id) AS source_rank,
               -- only RAGFlow has a dataset to create first; the local index needs none
               (f.target <> 'ragflow'
                OR EXISTS (SELECT 1 FROM kb_dataset m
                            WHERE m.knowledge_base_id = f.knowledge_base_id)) AS kb_mapped
          FROM free f
    ),
    -- locked once, before the update: as the update's subquery, a plan that rescans it per row (the
    -- planner's pick when its statistics see an almost empty table) locked the next jobs on every rescan
    picked AS MATERIALIZED (
        SELECT s.id
          FROM sync_job s
         WHERE s.status = 'queued'
           AND s.id IN (
                SELECT c.id
                  FROM ranked c
                  CROSS JOIN queue_gate g
                 WHERE (c.kb_mapped
                        OR (c.kb_rank = 1
                            AND NOT EXISTS (SELECT 1 FROM sync_job p
                                            WHERE p.status = 'processing' AND p.phase = 'sync'
                                              AND p.knowledge_base_id = c.knowledge_base_id)))
                   AND (c.source <> 'queue' OR NOT p_queue_single OR (g.open AND c.source_rank = 1))
                 ORDER BY c.created_at, c.id
                 LIMIT p_limit * 4)
         ORDER BY s.created_at, s.id
         LIMIT p_limit
           FOR UPDATE SKIP LOCKED
    )
    UPDATE sync_job j
       SET status = 'processing',
           phase = 'sync',
           claimed_by = p_instance,
           -- this process (the heartbeat renews only its own claims, sql/jobs/renew-instance-leases.sql)
           claim_token = p_token,
           -- the moment of the claim, not the statement's start: the single-mode gate may wait for a lock first
           started_at = clock_timestamp(),
           ended_at = NULL,
           updated_at = now(),
           lease_until = now() + make_interval(secs => p_lease_seconds)
      FROM picked k
     WHERE j.id = k.id
    RETURNING j.id, j.document_id, j.knowledge_base_id, j.op, j.source, j.target, j.retry_count;
END $$;
