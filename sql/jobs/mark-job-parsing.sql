-- The upload is done and RAGFlow parses: the worker is released, the parse tracker finishes the job. The
-- attempt's log line is written by the same statement (routes/sync/sync-job.camel.yaml job-succeeded).
WITH logged AS (
    INSERT INTO sync_job_log (job_id, level, event, message)
    VALUES (:#${exchangeProperty.jobId}, :#${exchangeProperty.logLevel}, :#${exchangeProperty.logEvent},
            :#${exchangeProperty.logMessage})
)
UPDATE sync_job
   SET phase = 'parsing',
       parse_started_at = now(),
       updated_at = now(),
       lease_until = now() + make_interval(secs => :#${properties:app.jobs.lease-seconds}),
       rag_message = :#${exchangeProperty.ragMessage}
 WHERE id = :#${exchangeProperty.jobId}
RETURNING CAST(EXTRACT(EPOCH FROM (now() - started_at)) * 1000 AS BIGINT) AS duration_ms
