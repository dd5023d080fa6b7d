-- Puts a claimed job back in the queue untouched (its target is paused), unless a newer event for the
-- same document is already queued: then this one is superseded by it.
UPDATE sync_job j
   SET status = CASE WHEN EXISTS (SELECT 1 FROM sync_job n
                                   WHERE n.document_id = j.document_id AND n.status = 'queued')
                     THEN 'superseded' ELSE 'queued' END,
       phase = NULL,
       claimed_by = NULL,
       lease_until = NULL,
       started_at = NULL,
       updated_at = now()
 WHERE j.id = :#${exchangeProperty.jobId}
   AND j.status = 'processing'
