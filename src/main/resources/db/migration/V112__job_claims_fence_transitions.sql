-- A worker can outlive its claim: its lease runs out (a job past app.jobs.max-run-seconds, a heartbeat cut off from
-- the database, a stop past its grace) and the job goes back to the queue, where a newer event of its document may
-- join it and another worker may claim it. The late outcome of the first worker then ended the job: 'indexed' over
-- an event it never uploaded, 'failed' with a dead letter under the second worker, 'parsing' on a queued job. Each
-- claim now numbers the job's attempt (claims), the claimed row carries it, and every transition a worker or the
-- parse tracker writes names it: a transition whose claim no longer holds the job changes nothing and returns no row.
ALTER TABLE sync_job ADD COLUMN claims INT NOT NULL DEFAULT 0;

DROP FUNCTION ragsync_job_claim(INT, TEXT, TEXT, DOUBLE PRECISION, BOOLEAN, BOOLEAN, BOOLEAN, INT, INT);
DROP FUNCTION ragsync_jobs_parsed(BIGINT[], TEXT[], TEXT[], TEXT[], BIGINT[]);
DROP FUNCTION ragsync_job_retry(BIGINT, TEXT, DOUBLE PRECISION, BIGINT, DOUBLE PRECISION, DOUBLE PRECISION, TEXT, TEXT);
DROP FUNCTION ragsync_job_defer(BIGINT, TEXT, DOUBLE PRECISION, TEXT, TEXT);
DROP FUNCTION ragsync_job_release(BIGINT);
DROP FUNCTION ragsync_job_succeed(BIGINT, TEXT, TEXT, TEXT, TEXT, TEXT, BIGINT, TEXT, DOUBLE PRECISION);
DROP FUNCTION ragsync_job_fail(BIGINT, TEXT, TEXT, TEXT, TEXT);
DROP FUNCTION ragsync_job_return(BIGINT, TEXT, TEXT, BOOLEAN, BIGINT, TEXT, TIMESTAMPTZ, TEXT);

-- V108's claim, counting the claim on the job and returning its number.
CREATE FUNCTION ragsync_job_claim(p_limit INT, p_token TEXT, p_instance TEXT, p_lease_seconds DOUBLE PRECISION,
                                  p_claiming BOOLEAN, p_ragflow_open BOOLEAN, p_queue_single BOOLEAN,
                                  p_max_parsing INT, p_backlog_seconds INT)
RETURNS TABLE (job_id BIGINT, document_id BIGINT, knowledge_base_id BIGINT, op TEXT, source TEXT, target TEXT,
               retry_count INT, claims INT)
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
               (f.target <> 'ragflow'
                OR EXISTS (SELECT 1 FROM kb_dataset m
                            WHERE m.knowledge_base_id = f.knowledge_base_id)) AS kb_mapped
          FROM free f
    ),
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
           claim_token = p_token,
           claims = j.claims + 1,
           started_at = clock_timestamp(),
           ended_at = NULL,
           updated_at = now(),
           lease_until = now() + make_interval(secs => p_lease_seconds)
      FROM picked k
     WHERE j.id = k.id
    RETURNING j.id, j.document_id, j.knowledge_base_id, j.op, j.source, j.target, j.retry_count, j.claims;
END $$;

-- V91's return, held by claim p_claim when given (a worker's own return); the maintenance paths pass none, their
-- rows already locked as 'processing'.
CREATE FUNCTION ragsync_job_return(p_job_id BIGINT, p_event TEXT, p_note TEXT, p_count_retry BOOLEAN,
                                   p_max_attempts BIGINT, p_last_error TEXT, p_next_retry_at TIMESTAMPTZ,
                                   p_level TEXT DEFAULT 'WARN', p_claim INT DEFAULT NULL)
RETURNS TABLE (job_id BIGINT, document_id BIGINT, status TEXT, retry_count INT, next_retry_at TIMESTAMPTZ,
               message TEXT)
LANGUAGE sql AS $$
    WITH decided AS (
        SELECT j.id, CASE WHEN p_count_retry AND j.retry_count + 1 > p_max_attempts THEN 'failed'
                          ELSE ragsync_job_requeue_status(j.document_id) END AS status
          FROM sync_job j
         WHERE j.id = p_job_id
    ), returned AS (
        UPDATE sync_job j
           SET status = n.status,
               ended_at = CASE WHEN n.status = 'queued' THEN NULL ELSE now() END,
               retry_count = j.retry_count + CASE WHEN p_count_retry THEN 1 ELSE 0 END,
               phase = NULL,
               claimed_by = NULL,
               claim_token = NULL,
               lease_until = NULL,
               last_error = coalesce(p_last_error, j.last_error),
               next_retry_at = coalesce(p_next_retry_at, j.next_retry_at),
               updated_at = now()
          FROM decided n
         WHERE j.id = n.id
           AND j.status = 'processing'
           AND (p_claim IS NULL OR j.claims = p_claim)
        RETURNING j.id, j.document_id, j.status, j.retry_count, j.next_retry_at, p_note || '; now ' || j.status AS message
    ), logged AS (
        INSERT INTO sync_job_log (job_id, level, event, message)
        SELECT r.id, p_level, coalesce(p_event, r.status), r.message
          FROM returned r
         WHERE p_note IS NOT NULL
    )
    SELECT * FROM returned
$$;

-- V91's succeed, for the claim p_claim only: 'parsing' only from the worker's phase, so a late mark cannot set a
-- queued job or another worker's run parsing; the job's row first, its log and document only when it changed.
CREATE FUNCTION ragsync_job_succeed(p_job_id BIGINT, p_outcome TEXT, p_message TEXT, p_reason TEXT, p_run TEXT,
                                    p_progress TEXT, p_chunks BIGINT, p_meta_hash TEXT,
                                    p_lease_seconds DOUBLE PRECISION, p_claim INT)
RETURNS TABLE (status TEXT, message TEXT, duration_ms BIGINT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    IF p_outcome = 'parsing' THEN
        RETURN QUERY
        UPDATE sync_job j
           SET phase = 'parsing', parse_started_at = now(), updated_at = now(), rag_message = p_message,
               lease_until = now() + make_interval(secs => p_lease_seconds)
         WHERE j.id = p_job_id
           AND j.status = 'processing'
           AND j.phase = 'sync'
           AND j.claims = p_claim
        RETURNING 'parsing'::TEXT, j.rag_message, CAST(EXTRACT(EPOCH FROM (now() - j.started_at)) * 1000 AS BIGINT);
        IF FOUND THEN
            INSERT INTO sync_job_log (job_id, level, event, message) VALUES (p_job_id, 'INFO', 'parsing', p_message);
            UPDATE document_sync s
               SET status = 'parsing', run = 'RUNNING', meta_hash = coalesce(p_meta_hash, s.meta_hash),
                   last_job_id = p_job_id, updated_at = now()
              FROM sync_job j
             WHERE j.id = p_job_id AND s.document_id = j.document_id;
        END IF;
        RETURN;
    END IF;
    RETURN QUERY
    WITH done AS (
        UPDATE sync_job j
           SET status = p_outcome, phase = NULL, ended_at = now(), updated_at = now(), lease_until = NULL,
               next_retry_at = NULL, last_error = p_reason, rag_message = p_message
         WHERE j.id = p_job_id
           AND j.status = 'processing'
           AND j.claims = p_claim
        RETURNING j.id, j.document_id, j.status, j.rag_message, j.started_at, j.ended_at
    ), logged AS (
        INSERT INTO sync_job_log (job_id, level, event, message)
        SELECT d.id, 'INFO', d.status, d.rag_message FROM done d
    ), document_parsed AS (
        UPDATE document_sync s
           SET status = p_outcome, run = p_run, progress_msg = p_progress, chunk_count = p_chunks,
               last_error = NULL, synced_at = now(), updated_at = now()
          FROM done d
         WHERE s.document_id = d.document_id
           AND p_run = 'DONE'
    )
    SELECT d.status, d.rag_message, CAST(EXTRACT(EPOCH FROM (d.ended_at - d.started_at)) * 1000 AS BIGINT)
      FROM done d;
END $$;

-- V91's fail, for the claim p_claim only.
CREATE FUNCTION ragsync_job_fail(p_job_id BIGINT, p_outcome TEXT, p_error TEXT, p_route_id TEXT, p_payload TEXT,
                                 p_claim INT)
RETURNS TABLE (status TEXT, message TEXT, duration_ms BIGINT)
LANGUAGE sql AS $$
    WITH ended AS (
        UPDATE sync_job j
           SET status = p_outcome, phase = NULL, ended_at = now(), updated_at = now(), lease_until = NULL,
               next_retry_at = NULL, last_error = p_error, rag_message = p_error
         WHERE j.id = p_job_id
           AND j.status = 'processing'
           AND j.claims = p_claim
        RETURNING j.id, j.document_id, j.knowledge_base_id, j.op, j.status, j.rag_message, j.started_at, j.ended_at
    ), document_status AS (
        INSERT INTO document_sync (document_id, knowledge_base_id, status, last_error, last_job_id, updated_at)
        SELECT e.document_id, e.knowledge_base_id, e.status, p_error, e.id, now()
          FROM ended e
         WHERE e.document_id IS NOT NULL
        ON CONFLICT (document_id) DO UPDATE
           SET status = EXCLUDED.status, last_error = EXCLUDED.last_error, last_job_id = EXCLUDED.last_job_id,
               updated_at = now()
    ), logged AS (
        INSERT INTO sync_job_log (job_id, level, event, message)
        SELECT e.id, 'ERROR', e.status, p_error FROM ended e
    ), dead_letter AS (
        INSERT INTO sync_dead_letter (job_id, document_id, knowledge_base_id, op, route_id, error, payload)
        SELECT e.id, e.document_id, e.knowledge_base_id, e.op, p_route_id, p_error, p_payload
          FROM ended e
         WHERE e.status = 'failed'
    )
    SELECT e.status, e.rag_message, CAST(EXTRACT(EPOCH FROM (e.ended_at - e.started_at)) * 1000 AS BIGINT)
      FROM ended e
$$;

-- V91's retry, for the claim p_claim only.
CREATE FUNCTION ragsync_job_retry(p_job_id BIGINT, p_error TEXT, p_retry_after DOUBLE PRECISION,
                                  p_max_attempts BIGINT, p_base_delay DOUBLE PRECISION,
                                  p_max_delay DOUBLE PRECISION, p_route_id TEXT, p_payload TEXT, p_claim INT)
RETURNS TABLE (status TEXT, message TEXT, duration_ms BIGINT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    tries INT;
    due TIMESTAMPTZ;
BEGIN
    SELECT j.retry_count INTO tries FROM sync_job j
     WHERE j.id = p_job_id AND j.status = 'processing' AND j.claims = p_claim
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF tries + 1 > p_max_attempts THEN
        UPDATE sync_job j SET retry_count = j.retry_count + 1 WHERE j.id = p_job_id;
        RETURN QUERY SELECT * FROM ragsync_job_fail(p_job_id, 'failed',
            'gave up after ' || p_max_attempts || ' retries: ' || p_error, p_route_id, p_payload, p_claim);
        RETURN;
    END IF;
    due := now() + make_interval(secs => greatest(coalesce(p_retry_after, 0),
                                                  least(p_max_delay, p_base_delay * power(2, tries))));
    RETURN QUERY
    SELECT r.status, r.message, NULL::BIGINT
      FROM ragsync_job_return(p_job_id, NULL, p_error || '; retry ' || (tries + 1) || '/' || p_max_attempts
                              || ' at ' || CAST(date_trunc('second', due) AS TEXT), true, p_max_attempts, p_error,
                              due, 'WARN', p_claim) r;
END $$;

-- V91's defer, for the claim p_claim only.
CREATE FUNCTION ragsync_job_defer(p_job_id BIGINT, p_error TEXT, p_seconds DOUBLE PRECISION, p_level TEXT,
                                  p_event TEXT, p_claim INT)
RETURNS TABLE (status TEXT, retry_count INT, next_retry_at TIMESTAMPTZ, message TEXT)
LANGUAGE sql AS $$
    SELECT r.status, r.retry_count, r.next_retry_at, r.message
      FROM sync_job j
     CROSS JOIN LATERAL ragsync_job_return(j.id, coalesce(p_event, 'deferred'),
            p_error || '; deferred ' || p_seconds || ' s without counting an attempt (retries used ' || j.retry_count
                || '), due at ' || CAST(date_trunc('second', now() + make_interval(secs => p_seconds)) AS TEXT),
            false, NULL, p_error, now() + make_interval(secs => p_seconds), coalesce(p_level, 'WARN'), p_claim) r
     WHERE j.id = p_job_id
       AND j.status = 'processing'
$$;

-- V91's release, for the claim p_claim only.
CREATE FUNCTION ragsync_job_release(p_job_id BIGINT, p_claim INT)
RETURNS TABLE (status TEXT)
LANGUAGE sql AS $$
    SELECT r.status FROM ragsync_job_return(p_job_id, NULL, NULL, false, NULL, NULL, NULL, 'WARN', p_claim) r
$$;

-- V106's batch of parsed documents, each job ended for the claim the tracker read it under.
CREATE FUNCTION ragsync_jobs_parsed(p_job_ids BIGINT[], p_dataset_ids TEXT[], p_messages TEXT[],
                                    p_progress TEXT[], p_chunks BIGINT[], p_claims INT[])
RETURNS TABLE (job_id BIGINT, document_id BIGINT, knowledge_base_id BIGINT, op TEXT, source TEXT, target TEXT,
               retry_count INT, ragflow_dataset_id TEXT, status TEXT, message TEXT, duration_ms BIGINT)
LANGUAGE sql AS $$
    SELECT j.id, j.document_id, j.knowledge_base_id, j.op, j.source, j.target, j.retry_count, p.dataset_id,
           s.status, s.message, s.duration_ms
      FROM unnest(p_job_ids, p_dataset_ids, p_messages, p_progress, p_chunks, p_claims)
               WITH ORDINALITY AS p(job_id, dataset_id, message, progress, chunks, claims, n)
      JOIN sync_job j ON j.id = p.job_id
     CROSS JOIN LATERAL ragsync_job_succeed(p.job_id, 'indexed', p.message, NULL, 'DONE', p.progress, p.chunks,
                                            NULL, 0, p.claims) s
     ORDER BY p.n
$$;
