-- After a transient failure with retries left: back to the queue with an exponential delay
-- (base * 2^retries, capped, at least what the server asked for with Retry-After). A newer event for the
-- same document already queued supersedes this job instead. The log row (event = the new status) is written
-- by the same statement, so whoever sees the job back in the queue sees why; its message is returned for the
-- log line.
WITH rescheduled AS (
    UPDATE sync_job j
       SET status = ragsync_job_requeue_status(j.document_id),
           ended_at = CASE WHEN ragsync_job_requeue_status(j.document_id) = 'superseded' THEN now() END,
           retry_count = j.retry_count + 1,
           phase = NULL,
           claimed_by = NULL,
           lease_until = NULL,
           updated_at = now(),
           last_error = :#${exchangeProperty.errorMessage},
           next_retry_at = now() + make_interval(secs => GREATEST(
                              CAST(:#${exchangeProperty.retryAfterSeconds} AS DOUBLE PRECISION),
                              LEAST(CAST(:#${properties:app.jobs.retry.max-delay-seconds} AS DOUBLE PRECISION),
                                    :#${properties:app.jobs.retry.base-delay-seconds} * power(2, j.retry_count))))
     WHERE j.id = :#${variable.job.id}
    RETURNING j.id, j.status, j.retry_count, j.next_retry_at
), logged AS (
    INSERT INTO sync_job_log (job_id, level, event, message)
    SELECT id, 'WARN', status,
           CAST(:#${exchangeProperty.errorMessage} AS TEXT) || '; retry ' || retry_count || '/'
               || CAST(:#${properties:app.jobs.retry.max-attempts} AS TEXT) || ' at '
               || CAST(date_trunc('second', next_retry_at) AS TEXT) || ' (' || status || ')'
      FROM rescheduled
    RETURNING message
)
SELECT r.status, r.retry_count, r.next_retry_at, l.message
  FROM rescheduled r CROSS JOIN logged l
