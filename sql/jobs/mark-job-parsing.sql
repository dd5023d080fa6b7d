-- The upload is done and RAGFlow parses: the worker is released, the parse tracker finishes the job. One
-- statement writes the attempt's log line, the document's status ('parsing', with the meta_fields hash just
-- sent) and the job's phase (routes/jobs/sync-job.camel.yaml job-succeeded), so they are never seen apart.
WITH logged AS (
    INSERT INTO sync_job_log (job_id, level, event, message)
    VALUES (:#${variable.job.id}, 'INFO', 'parsing', :#${exchangeProperty.ragMessage})
), document_parsing AS (
    UPDATE document_sync
       SET status = 'parsing',
           run = 'RUNNING',
           meta_hash = COALESCE(:#${exchangeProperty.metaHash}, meta_hash),
           last_job_id = :#${variable.job.id},
           updated_at = now()
     WHERE document_id = :#${variable.job.documentId}
)
UPDATE sync_job
   SET phase = 'parsing',
       parse_started_at = now(),
       updated_at = now(),
       lease_until = now() + make_interval(secs => :#${properties:app.jobs.lease-seconds}),
       rag_message = :#${exchangeProperty.ragMessage}
 WHERE id = :#${variable.job.id}
RETURNING 'parsing' AS status, rag_message AS message,
          CAST(EXTRACT(EPOCH FROM (now() - started_at)) * 1000 AS BIGINT) AS duration_ms
