-- Operator requeue: failed / config_error / download_failed / truncated jobs (optionally one status, one document);
-- a tenant-bound caller's own tenant's knowledge bases only (callerTenant NULL: the operator or a platform-wide
-- credential).
SELECT * FROM ragsync_jobs_requeue(ARRAY['failed', 'config_error', 'download_failed', 'truncated'],
    CAST(:#${variable.requeue.status} AS TEXT), CAST(:#${variable.requeue.documentId} AS BIGINT), NULL,
    CASE WHEN CAST(:#${exchangeProperty.callerTenant} AS TEXT) IS NOT NULL
         THEN ARRAY(SELECT k.id FROM knowledge_base k WHERE k.tenant = CAST(:#${exchangeProperty.callerTenant} AS TEXT))
    END, false, 'requeued by operator')
