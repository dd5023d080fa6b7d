-- POST /api/internal/sync/retry: re-runs push API jobs in error (failed, download_failed, config_error: back
-- to the queue with fresh retries, like sql/jobs/requeue-jobs.sql) and pending ones waiting for a retry
-- (next_retry_at cleared: due now). Scope: the jobs of push chatbots' knowledge bases, optionally one chatbot,
-- one document (pushed source) or one job. Only the newest job of a document or knowledge base is re-run, and
-- none where another job is already queued or running.
UPDATE sync_job j
   SET status = 'queued',
       retry_count = CASE WHEN j.status = 'queued' THEN j.retry_count ELSE 0 END,
       next_retry_at = NULL,
       phase = NULL,
       ended_at = NULL,
       claimed_by = NULL,
       updated_at = now(),
       rag_message = 'retry requested through the push API'
 WHERE j.knowledge_base_id IN (SELECT c.knowledge_base_id FROM push_chatbot c
                                WHERE CAST(:#${exchangeProperty.retryChatbotId} AS TEXT) IS NULL
                                   OR c.chatbot_id = :#${exchangeProperty.retryChatbotId})
   AND (CAST(:#${exchangeProperty.retryJobId} AS BIGINT) IS NULL OR j.id = :#${exchangeProperty.retryJobId})
   AND (CAST(:#${exchangeProperty.retryDocumentId} AS BIGINT) IS NULL
        OR j.document_id = :#${exchangeProperty.retryDocumentId})
   AND ((:#${exchangeProperty.retryErrors} AND j.status IN ('failed', 'download_failed', 'config_error')
         AND NOT EXISTS (SELECT 1 FROM sync_job n
                          WHERE n.id <> j.id
                            AND (n.id > j.id OR n.status IN ('queued', 'processing'))
                            AND ((j.document_id IS NOT NULL AND n.document_id = j.document_id)
                              OR (j.document_id IS NULL AND n.document_id IS NULL
                                  AND n.knowledge_base_id = j.knowledge_base_id AND n.op = j.op))))
     OR (:#${exchangeProperty.retryPending} AND j.status = 'queued' AND j.next_retry_at IS NOT NULL))
RETURNING j.id AS job_id, j.document_id, j.op
