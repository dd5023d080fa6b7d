-- Operator requeue: failed / config_error / download_failed / truncated jobs (optionally one status, one document).
SELECT * FROM ragsync_jobs_requeue(ARRAY['failed', 'config_error', 'download_failed', 'truncated'],
    CAST(:#${variable.requeue.status} AS TEXT), CAST(:#${variable.requeue.documentId} AS BIGINT), NULL, NULL, false,
    'requeued by operator')
