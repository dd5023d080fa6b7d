-- Ends a job successfully ('indexed' or 'deleted') and returns how long the attempt took. The attempt's log
-- line is written by the same statement, so whoever sees the job ended also sees its log. Once only: a job
-- that already ended with this outcome (a parse status checked twice, e.g. by two instances) is left as it
-- is, no second log line, and no row comes back.
WITH done AS (
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
       AND status <> :#${exchangeProperty.outcome}
    RETURNING id, started_at, ended_at
), logged AS (
    INSERT INTO sync_job_log (job_id, level, event, message)
    SELECT id, :#${exchangeProperty.logLevel}, :#${exchangeProperty.logEvent}, :#${exchangeProperty.logMessage}
      FROM done
)
SELECT CAST(EXTRACT(EPOCH FROM (ended_at - started_at)) * 1000 AS BIGINT) AS duration_ms
  FROM done
