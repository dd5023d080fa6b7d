-- Jobs whose worker lease ran out (instance killed, hung or cut off from the database) go back to the
-- queue; they count as a retry, so a job that keeps killing its worker ends 'failed'. Each one's
-- 'lease_expired' log row is written by the same statement, so whoever sees the new status also sees why.
WITH recovered AS (
UPDATE sync_job j
   SET status = CASE
                  WHEN j.retry_count + 1 > :#${properties:app.jobs.retry.max-attempts} THEN 'failed'
                  ELSE ragsync_job_requeue_status(j.document_id)
                END,
       retry_count = j.retry_count + 1,
       phase = NULL,
       last_error = 'lease expired: instance ' || coalesce(j.claimed_by, '?') || ' stopped before finishing',
       claimed_by = NULL,
       claim_token = NULL,
       lease_until = NULL,
       updated_at = now()
 WHERE j.status = 'processing'
   AND j.phase = 'sync'
   AND j.lease_until < now()
RETURNING j.id AS job_id, j.document_id, j.status, j.last_error
),
logged AS (
    INSERT INTO sync_job_log (job_id, level, event, message)
    SELECT r.job_id, 'WARN', 'lease_expired', r.last_error || '; now ' || r.status
      FROM recovered r
)
SELECT job_id, document_id, status, last_error
  FROM recovered
