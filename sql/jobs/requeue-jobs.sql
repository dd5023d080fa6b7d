-- Operator action: puts failed / config_error / download_failed / truncated jobs back in the queue with fresh retries.
-- Optional filters: one status, one document. A document that already has a queued job is skipped.
UPDATE sync_job j
   SET status = 'queued',
       retry_count = 0,
       next_retry_at = NULL,
       phase = NULL,
       ended_at = NULL,
       claimed_by = NULL,
       updated_at = now(),
       rag_message = 'requeued by operator'
 WHERE j.status IN ('failed', 'config_error', 'download_failed', 'truncated')
   AND (CAST(:#${variable.requeue.status} AS TEXT) IS NULL OR j.status = :#${variable.requeue.status})
   AND (CAST(:#${variable.requeue.documentId} AS BIGINT) IS NULL OR j.document_id = :#${variable.requeue.documentId})
   -- only the newest job of each document, and none where a job is already pending
   AND NOT EXISTS (SELECT 1 FROM sync_job n
                    WHERE n.document_id = j.document_id
                      AND (n.id > j.id OR n.status IN ('queued', 'processing')))
RETURNING j.id AS job_id, j.document_id
