-- Ends a job without retry: download_failed, config_error or failed.
UPDATE sync_job
   SET status = :#${exchangeProperty.outcome},
       phase = NULL,
       ended_at = now(),
       updated_at = now(),
       lease_until = NULL,
       next_retry_at = NULL,
       last_error = :#${exchangeProperty.errorMessage},
       rag_message = :#${exchangeProperty.errorMessage}
 WHERE id = :#${exchangeProperty.jobId}
RETURNING CAST(EXTRACT(EPOCH FROM (ended_at - started_at)) * 1000 AS BIGINT) AS duration_ms
