-- Operator action: a job left 'processing' by a holder that is gone (its lease ran out) goes back to the queue
-- now, or is superseded by a queued newer event of the same document. A job whose holder's lease is still live is
-- left alone (the caller answers 409), and so is a job RAGFlow parses (the parse tracker of any instance ends it). No retry is counted (the operator decided); the 'released' log row is
-- written by the same statement. Returns the job as it was and its new status (NULL when not released); no row
-- for an unknown job.
WITH target AS (
    SELECT id, status, phase, claimed_by, lease_until, lease_until > now() AS lease_live
      FROM sync_job
     WHERE id = :#${exchangeProperty.jobId}
       FOR UPDATE
), released AS (
    UPDATE sync_job j
       SET status = ragsync_job_requeue_status(j.document_id),
           ended_at = CASE WHEN ragsync_job_requeue_status(j.document_id) = 'superseded' THEN now() END,
           phase = NULL,
           claimed_by = NULL,
           claim_token = NULL,
           lease_until = NULL,
           updated_at = now()
      FROM target t
     WHERE j.id = t.id
       AND t.status = 'processing'
       AND t.phase = 'sync'
       AND NOT coalesce(t.lease_live, false)
    RETURNING j.id, j.status
), logged AS (
    INSERT INTO sync_job_log (job_id, level, event, message)
    SELECT r.id, 'WARN', 'released',
           'released by an operator: the lease of instance ' || coalesce(t.claimed_by, '?') || ' had run out; now '
               || r.status
      FROM released r JOIN target t ON t.id = r.id
)
SELECT t.id AS job_id, t.status, t.phase, t.claimed_by, t.lease_until, coalesce(t.lease_live, false) AS lease_live,
       r.status AS released_to
  FROM target t
  LEFT JOIN released r ON r.id = t.id
