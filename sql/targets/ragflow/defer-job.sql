-- RAGFlow is unavailable as a whole (circuit breaker open) or asked us to wait (Retry-After): the job goes
-- back to the queue WITHOUT counting an attempt, due again after :#deferSeconds. A newer event for the same
-- document already queued supersedes it instead. The 'deferred' log row is written by the same statement
-- (whoever sees the job back in the queue sees why) and its message is returned for the log line.
WITH deferred AS (
    UPDATE sync_job j
       SET status = ragsync_job_requeue_status(j.document_id),
           ended_at = CASE WHEN ragsync_job_requeue_status(j.document_id) = 'superseded' THEN now() END,
           phase = NULL,
           claimed_by = NULL,
           lease_until = NULL,
           updated_at = now(),
           last_error = :#${exchangeProperty.errorMessage},
           next_retry_at = now() + make_interval(secs => CAST(:#${exchangeProperty.deferSeconds} AS DOUBLE PRECISION))
     WHERE j.id = :#${exchangeProperty.jobId}
       AND j.status = 'processing'
    RETURNING j.id, j.status, j.retry_count, j.next_retry_at
), logged AS (
    INSERT INTO sync_job_log (job_id, level, event, message)
    SELECT id, :#${exchangeProperty.logLevel}, :#${exchangeProperty.logEvent},
           CAST(:#${exchangeProperty.errorMessage} AS TEXT) || '; deferred '
               || CAST(:#${exchangeProperty.deferSeconds} AS TEXT) || ' s without counting an attempt (retries used '
               || retry_count || '), due at ' || CAST(date_trunc('second', next_retry_at) AS TEXT)
      FROM deferred
    RETURNING message
)
SELECT d.status, d.retry_count, d.next_retry_at, l.message
  FROM deferred d CROSS JOIN logged l
