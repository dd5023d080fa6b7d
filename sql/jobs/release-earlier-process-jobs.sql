-- At start: the jobs an earlier process of this instance id was running (it was killed, and this one took its
-- name) go back to the queue at once instead of waiting out their leases. Like a lease recovery they count as a
-- retry, so a job that keeps killing its process ends 'failed'; a queued newer event of the same document
-- supersedes them. Each one's 'restart' log row is written by the same statement.
WITH released AS (
UPDATE sync_job j
   SET status = CASE
                  WHEN j.retry_count + 1 > :#${properties:app.jobs.retry.max-attempts} THEN 'failed'
                  ELSE ragsync_job_requeue_status(j.document_id)
                END,
       retry_count = j.retry_count + 1,
       phase = NULL,
       last_error = 'instance ' || j.claimed_by || ' restarted before finishing',
       claimed_by = NULL,
       claim_token = NULL,
       lease_until = NULL,
       updated_at = now()
 WHERE j.status = 'processing'
   AND j.phase = 'sync'
   AND j.claimed_by = :#${properties:app.instance-id}
   AND j.claim_token IS DISTINCT FROM :#${bean:processClaim?method=token}
RETURNING j.id AS job_id, j.document_id, j.status, j.last_error
),
logged AS (
    INSERT INTO sync_job_log (job_id, level, event, message)
    SELECT r.job_id, 'WARN', 'restart', r.last_error || '; now ' || r.status
      FROM released r
)
SELECT job_id, document_id, status, last_error
  FROM released
