-- Ends a job successfully ('indexed' or 'deleted') and returns how long the attempt took. The attempt's log
-- line is written by the same statement, so whoever sees the job ended also sees its log.
WITH logged AS (
    INSERT INTO sync_job_log (job_id, level, event, message)
    VALUES (:#${exchangeProperty.jobId}, :#${exchangeProperty.logLevel}, :#${exchangeProperty.logEvent},
            :#${exchangeProperty.logMessage})
)
UPDATE sync_job
   SET status = :#${exchangeProperty.outcome},
       phase = NULL,
       ended_at = now(),
       updated_at = now(),
       lease_until = NULL,
       next_retry_at = NULL,
       last_error = NULL,
       rag_message = :#${exchangeProperty.ragMessage}
 WHERE id = :#${exchangeProperty.jobId}
RETURNING CAST(EXTRACT(EPOCH FROM (ended_at - started_at)) * 1000 AS BIGINT) AS duration_ms
