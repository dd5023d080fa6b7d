-- Graceful stop: the jobs this instance still holds (a worker did not finish within the grace period, or
-- RAGFlow still parses the document) go back to the queue, or are superseded by a queued newer event of the
-- same document. No retry is counted (nothing failed); each gets a 'shutdown' line in its log. Sync jobs only of
-- this process (its claim token): another live process under the same instance id keeps its own.
WITH released AS (
    UPDATE sync_job j
       SET status = ragsync_job_requeue_status(j.document_id),
           ended_at = CASE WHEN ragsync_job_requeue_status(j.document_id) = 'superseded' THEN now() END,
           phase = NULL,
           claimed_by = NULL,
           claim_token = NULL,
           lease_until = NULL,
           updated_at = now()
     WHERE j.status = 'processing'
       AND j.claimed_by = :#${properties:app.instance-id}
       AND (j.phase <> 'sync' OR j.claim_token = :#${bean:processClaim?method=token})
    RETURNING j.id, j.document_id, j.status)
INSERT INTO sync_job_log (job_id, level, event, message)
SELECT r.id, 'WARN', 'shutdown',
       'instance ' || :#${properties:app.instance-id} || ' stopped before the job finished: now ' || r.status
  FROM released r
RETURNING job_id
