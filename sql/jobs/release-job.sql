-- Puts a claimed job back in the queue untouched (its target is paused), unless a newer event for the
-- same document is already queued: then this one is superseded by it.
UPDATE sync_job j
   SET status = ragsync_job_requeue_status(j.document_id),
       phase = NULL,
       claimed_by = NULL,
       lease_until = NULL,
       started_at = NULL,
       updated_at = now()
 WHERE j.id = :#${variable.job.id}
   AND j.status = 'processing'
