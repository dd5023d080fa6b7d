-- POST /api/internal/sync/retry: push jobs in error back to the queue with fresh retries (retryErrors) and pending
-- ones due now (retryPending); scope: push chatbots' knowledge bases, optionally one chatbot, document or job.
SELECT * FROM ragsync_jobs_requeue(
    CASE WHEN CAST(:#${exchangeProperty.retryErrors} AS BOOLEAN) THEN ARRAY['failed', 'download_failed', 'config_error'] END,
    NULL, CAST(:#${exchangeProperty.retryDocumentId} AS BIGINT), CAST(:#${exchangeProperty.retryJobId} AS BIGINT),
    ARRAY(SELECT c.knowledge_base_id FROM push_chatbot c
           WHERE CAST(:#${exchangeProperty.retryChatbotId} AS TEXT) IS NULL
              OR c.chatbot_id = CAST(:#${exchangeProperty.retryChatbotId} AS TEXT)),
    CAST(:#${exchangeProperty.retryPending} AS BOOLEAN), 'retry requested through the push API')
