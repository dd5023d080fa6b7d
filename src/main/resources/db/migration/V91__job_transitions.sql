-- The job state machine: every transition of a claimed job is one function here, called by one statement of
-- sql/jobs/ (sql/targets/ragflow/defer-job.sql, sql/sources/push/retry-push-jobs.sql), so the job's row, its log
-- row, the document's status and any dead letter change in the caller's one transaction. The claim itself stays
-- the statement sql/jobs/claim-jobs.sql: inside a function the planner would no longer see the batch size.

-- Takes a job off its holder without an outcome: back to the queue, 'superseded' when a newer event of its
-- document is queued (ragsync_job_requeue_status, V90), or 'failed' when a counted retry is one too many. Writes
-- the log row p_event (the new status when NULL; no row without p_note) and returns the job's new state.
CREATE FUNCTION ragsync_job_return(p_job_id BIGINT, p_event TEXT, p_note TEXT, p_count_retry BOOLEAN,
                                   p_max_attempts BIGINT, p_last_error TEXT, p_next_retry_at TIMESTAMPTZ,
                                   p_level TEXT DEFAULT 'WARN')
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
        RETURNING j.id, j.document_id, j.status, j.retry_count, j.next_retry_at, p_note || '; now ' || j.status AS message
    ), logged AS (
        INSERT INTO sync_job_log (job_id, level, event, message)
        SELECT r.id, p_level, coalesce(p_event, r.status), r.message
          FROM returned r
         WHERE p_note IS NOT NULL
    )
    SELECT * FROM returned
$$;

-- Succeed: 'indexed', 'truncated' or 'deleted' ends the job (p_reason: why a truncated one is incomplete) with its
-- log row and, when RAGFlow's run is DONE, the document's parse result; once only (no row for a job that already
-- ended so). 'parsing' frees the worker: the parse tracker ends the job, the document shows 'parsing'.
CREATE FUNCTION ragsync_job_succeed(p_job_id BIGINT, p_outcome TEXT, p_message TEXT, p_reason TEXT, p_run TEXT,
                                    p_progress TEXT, p_chunks BIGINT, p_meta_hash TEXT,
                                    p_lease_seconds DOUBLE PRECISION)
RETURNS TABLE (status TEXT, message TEXT, duration_ms BIGINT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    IF p_outcome = 'parsing' THEN
        INSERT INTO sync_job_log (job_id, level, event, message) VALUES (p_job_id, 'INFO', 'parsing', p_message);
        UPDATE document_sync s
           SET status = 'parsing', run = 'RUNNING', meta_hash = coalesce(p_meta_hash, s.meta_hash),
               last_job_id = p_job_id, updated_at = now()
          FROM sync_job j
         WHERE j.id = p_job_id AND s.document_id = j.document_id;
        RETURN QUERY
        UPDATE sync_job j
           SET phase = 'parsing', parse_started_at = now(), updated_at = now(), rag_message = p_message,
               lease_until = now() + make_interval(secs => p_lease_seconds)
         WHERE j.id = p_job_id
        RETURNING 'parsing'::TEXT, j.rag_message, CAST(EXTRACT(EPOCH FROM (now() - j.started_at)) * 1000 AS BIGINT);
        RETURN;
    END IF;
    RETURN QUERY
    WITH done AS (
        UPDATE sync_job j
           SET status = p_outcome, phase = NULL, ended_at = now(), updated_at = now(), lease_until = NULL,
               next_retry_at = NULL, last_error = p_reason, rag_message = p_message
         WHERE j.id = p_job_id
           AND j.status <> p_outcome
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

-- Fail without retry: download_failed, config_error or failed (this one with a dead letter). The document's
-- status and the job's log row are written with the job's end, so whoever sees the job ended also sees why.
CREATE FUNCTION ragsync_job_fail(p_job_id BIGINT, p_outcome TEXT, p_error TEXT, p_route_id TEXT, p_payload TEXT)
RETURNS TABLE (status TEXT, message TEXT, duration_ms BIGINT)
LANGUAGE sql AS $$
    WITH ended AS (
        UPDATE sync_job j
           SET status = p_outcome, phase = NULL, ended_at = now(), updated_at = now(), lease_until = NULL,
               next_retry_at = NULL, last_error = p_error, rag_message = p_error
         WHERE j.id = p_job_id
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

-- Fail -> retry or dead letter: with retries left, back to the queue (or superseded) due after base * 2^retries
-- seconds (capped, at least the server's Retry-After), a retry counted; the attempt that uses up the retries
-- counts too and fails the job with its dead letter.
CREATE FUNCTION ragsync_job_retry(p_job_id BIGINT, p_error TEXT, p_retry_after DOUBLE PRECISION,
                                  p_max_attempts BIGINT, p_base_delay DOUBLE PRECISION,
                                  p_max_delay DOUBLE PRECISION, p_route_id TEXT, p_payload TEXT)
RETURNS TABLE (status TEXT, message TEXT, duration_ms BIGINT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    tries INT;
    due TIMESTAMPTZ;
BEGIN
    SELECT j.retry_count INTO tries FROM sync_job j WHERE j.id = p_job_id FOR UPDATE;
    IF tries + 1 > p_max_attempts THEN
        UPDATE sync_job j SET retry_count = j.retry_count + 1 WHERE j.id = p_job_id;
        RETURN QUERY SELECT * FROM ragsync_job_fail(p_job_id, 'failed',
            'gave up after ' || p_max_attempts || ' retries: ' || p_error, p_route_id, p_payload);
        RETURN;
    END IF;
    due := now() + make_interval(secs => greatest(coalesce(p_retry_after, 0),
                                                  least(p_max_delay, p_base_delay * power(2, tries))));
    RETURN QUERY
    SELECT r.status, r.message, NULL::BIGINT
      FROM ragsync_job_return(p_job_id, NULL, p_error || '; retry ' || (tries + 1) || '/' || p_max_attempts
                              || ' at ' || CAST(date_trunc('second', due) AS TEXT), true, p_max_attempts, p_error,
                              due) r;
END $$;

-- Defer: the target is unavailable as a whole (RAGFlow's breaker open, or Retry-After): back to the queue (or
-- superseded) due after p_seconds, WITHOUT counting an attempt.
CREATE FUNCTION ragsync_job_defer(p_job_id BIGINT, p_error TEXT, p_seconds DOUBLE PRECISION, p_level TEXT,
                                  p_event TEXT)
RETURNS TABLE (status TEXT, retry_count INT, next_retry_at TIMESTAMPTZ, message TEXT)
LANGUAGE sql AS $$
    SELECT r.status, r.retry_count, r.next_retry_at, r.message
      FROM sync_job j
     CROSS JOIN LATERAL ragsync_job_return(j.id, coalesce(p_event, 'deferred'),
            p_error || '; deferred ' || p_seconds || ' s without counting an attempt (retries used ' || j.retry_count
                || '), due at ' || CAST(date_trunc('second', now() + make_interval(secs => p_seconds)) AS TEXT),
            false, NULL, p_error, now() + make_interval(secs => p_seconds), coalesce(p_level, 'WARN')) r
     WHERE j.id = p_job_id
       AND j.status = 'processing'
$$;

-- Release: a claimed job whose target is paused goes back untouched (no log row: nothing happened to it).
CREATE FUNCTION ragsync_job_release(p_job_id BIGINT)
RETURNS TABLE (status TEXT)
LANGUAGE sql AS $$
    SELECT r.status FROM ragsync_job_return(p_job_id, NULL, NULL, false, NULL, NULL, NULL) r
$$;

-- Release by an operator: only a sync job whose holder's lease ran out (a live holder or a parse in RAGFlow is
-- left alone, the caller answers 409); no retry counted. Returns the job as it was and released_to (NULL when
-- not released); no row for an unknown job.
CREATE FUNCTION ragsync_job_release_abandoned(p_job_id BIGINT)
RETURNS TABLE (job_id BIGINT, status TEXT, phase TEXT, claimed_by TEXT, lease_until TIMESTAMPTZ,
               lease_live BOOLEAN, released_to TEXT)
LANGUAGE plpgsql AS $$
DECLARE
    t sync_job;
    live BOOLEAN;
    released TEXT;
BEGIN
    SELECT * INTO t FROM sync_job j WHERE j.id = p_job_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    live := coalesce(t.lease_until > now(), false);
    IF t.status = 'processing' AND t.phase = 'sync' AND NOT live THEN
        SELECT r.status INTO released
          FROM ragsync_job_return(t.id, 'released', 'released by an operator: the lease of instance '
                                  || coalesce(t.claimed_by, '?') || ' had run out', false, NULL, NULL, NULL) r;
    END IF;
    RETURN QUERY SELECT t.id, t.status, t.phase, t.claimed_by, t.lease_until, live, released;
END $$;

-- Graceful stop: the jobs this process still holds (and the parses of this instance) go back, no retry counted.
CREATE FUNCTION ragsync_jobs_release_instance(p_instance TEXT, p_token TEXT)
RETURNS TABLE (job_id BIGINT, document_id BIGINT, status TEXT, last_error TEXT)
LANGUAGE sql AS $$
    SELECT r.job_id, r.document_id, r.status, h.note
      FROM (SELECT j.id, 'instance ' || p_instance || ' stopped before the job finished' AS note
              FROM sync_job j
             WHERE j.status = 'processing' AND j.claimed_by = p_instance
               AND (j.phase <> 'sync' OR j.claim_token = p_token)
               FOR UPDATE) h
     CROSS JOIN LATERAL ragsync_job_return(h.id, 'shutdown', h.note, false, NULL, NULL, NULL) r
$$;

-- Start: the sync jobs an earlier process of this instance id held (it was killed) go back now, a retry counted.
CREATE FUNCTION ragsync_jobs_release_earlier(p_instance TEXT, p_token TEXT, p_max_attempts BIGINT)
RETURNS TABLE (job_id BIGINT, document_id BIGINT, status TEXT, last_error TEXT)
LANGUAGE sql AS $$
    SELECT r.job_id, r.document_id, r.status, h.note
      FROM (SELECT j.id, 'instance ' || j.claimed_by || ' restarted before finishing' AS note
              FROM sync_job j
             WHERE j.status = 'processing' AND j.phase = 'sync' AND j.claimed_by = p_instance
               AND j.claim_token IS DISTINCT FROM p_token
               FOR UPDATE) h
     CROSS JOIN LATERAL ragsync_job_return(h.id, 'restart', h.note, true, p_max_attempts, h.note, NULL) r
$$;

-- Maintenance: sync jobs whose lease ran out (holder killed, hung or cut off) go back, a retry counted.
CREATE FUNCTION ragsync_jobs_recover_stale(p_max_attempts BIGINT)
RETURNS TABLE (job_id BIGINT, document_id BIGINT, status TEXT, last_error TEXT)
LANGUAGE sql AS $$
    SELECT r.job_id, r.document_id, r.status, h.note
      FROM (SELECT j.id, 'lease expired: instance ' || coalesce(j.claimed_by, '?') || ' stopped before finishing' AS note
              FROM sync_job j
             WHERE j.status = 'processing' AND j.phase = 'sync' AND j.lease_until < now()
               FOR UPDATE) h
     CROSS JOIN LATERAL ragsync_job_return(h.id, 'lease_expired', h.note, true, p_max_attempts, h.note, NULL) r
$$;

-- Requeue by an operator or a source's API: ended jobs in p_statuses (optionally only p_status) back to the queue
-- with fresh retries, only the newest of a document (or of a knowledge base's document-less op) and none where
-- another job is pending; with p_pending also queued jobs waiting for a retry (due now). Optional scope: one
-- document, one job, some knowledge bases.
CREATE FUNCTION ragsync_jobs_requeue(p_statuses TEXT[], p_status TEXT, p_document_id BIGINT, p_job_id BIGINT,
                                     p_knowledge_base_ids BIGINT[], p_pending BOOLEAN, p_message TEXT)
RETURNS TABLE (job_id BIGINT, document_id BIGINT, op TEXT)
LANGUAGE sql AS $$
    UPDATE sync_job j
       SET status = 'queued',
           retry_count = CASE WHEN j.status = 'queued' THEN j.retry_count ELSE 0 END,
           next_retry_at = NULL,
           phase = NULL,
           ended_at = NULL,
           claimed_by = NULL,
           updated_at = now(),
           rag_message = p_message
     WHERE (p_knowledge_base_ids IS NULL OR j.knowledge_base_id = ANY (p_knowledge_base_ids))
       AND (p_job_id IS NULL OR j.id = p_job_id)
       AND (p_document_id IS NULL OR j.document_id = p_document_id)
       AND ((j.status = ANY (p_statuses) AND (p_status IS NULL OR j.status = p_status)
             AND NOT EXISTS (SELECT 1 FROM sync_job n
                              WHERE n.id <> j.id
                                AND (n.id > j.id OR n.status IN ('queued', 'processing'))
                                AND ((j.document_id IS NOT NULL AND n.document_id = j.document_id)
                                  OR (j.document_id IS NULL AND n.document_id IS NULL
                                      AND n.knowledge_base_id = j.knowledge_base_id AND n.op = j.op))))
         OR (p_pending AND j.status = 'queued' AND j.next_retry_at IS NOT NULL))
    RETURNING j.id, j.document_id, j.op
$$;
