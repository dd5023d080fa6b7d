-- POST /api/internal/sync/retry: push jobs in error back to the queue with fresh retries (errors) and pending
-- ones due now (pending); scope: push chatbots' knowledge bases (a tenant-bound caller's own tenant's only;
-- chatbotTenant NULL = a platform-wide caller), optionally one chatbot, document or job.
SELECT * FROM ragsync_jobs_requeue(
    CASE WHEN CAST(:#${variable.push.errors} AS BOOLEAN) THEN ARRAY['failed', 'download_failed', 'config_error'] END,
    NULL, CAST(:#${variable.retryDocumentId} AS BIGINT), CAST(:#${variable.push.jobId} AS BIGINT),
    ARRAY(SELECT c.knowledge_base_id FROM push_chatbot c JOIN knowledge_base k ON k.id = c.knowledge_base_id
           WHERE (CAST(:#${variable.push.chatbotId} AS TEXT) IS NULL
                  OR c.chatbot_id = CAST(:#${variable.push.chatbotId} AS TEXT))
             AND (CAST(:#${exchangeProperty.chatbotTenant} AS TEXT) IS NULL
                  OR k.tenant = CAST(:#${exchangeProperty.chatbotTenant} AS TEXT))),
    CAST(:#${variable.push.pending} AS BOOLEAN), 'retry requested through the push API')
