-- Ends a job without retry: download_failed, config_error or failed (:#outcome, with :#errorMessage). One
-- statement writes the document's status, the job's log row and, for 'failed', its dead letter together with the
-- job's end, so whoever sees the job ended also sees why. Returns the status, the message and how long the
-- attempt took.
WITH document_status AS (
    INSERT INTO document_sync (document_id, knowledge_base_id, status, last_error, last_job_id, updated_at)
    SELECT d, CAST(:#${variable.job.knowledgeBaseId} AS BIGINT), CAST(:#${exchangeProperty.outcome} AS TEXT),
           CAST(:#${exchangeProperty.errorMessage} AS TEXT), CAST(:#${variable.job.id} AS BIGINT), now()
      FROM (SELECT CAST(:#${variable.job.documentId} AS BIGINT) AS d) doc
     WHERE d IS NOT NULL
    ON CONFLICT (document_id) DO UPDATE
       SET status = EXCLUDED.status,
           last_error = EXCLUDED.last_error,
           last_job_id = EXCLUDED.last_job_id,
           updated_at = now()
), logged AS (
    INSERT INTO sync_job_log (job_id, level, event, message)
    VALUES (:#${variable.job.id}, 'ERROR', :#${exchangeProperty.outcome}, :#${exchangeProperty.errorMessage})
), dead_letter AS (
    INSERT INTO sync_dead_letter (job_id, document_id, knowledge_base_id, op, route_id, error, payload)
    SELECT CAST(:#${variable.job.id} AS BIGINT), CAST(:#${variable.job.documentId} AS BIGINT),
           CAST(:#${variable.job.knowledgeBaseId} AS BIGINT), CAST(:#${variable.job.op} AS TEXT),
           CAST(:#${exchangeProperty.CamelFailureRouteId} AS TEXT), CAST(:#${exchangeProperty.errorMessage} AS TEXT),
           CAST(:#${variable.job.row} AS TEXT)
     WHERE CAST(:#${exchangeProperty.outcome} AS TEXT) = 'failed'
)
UPDATE sync_job
   SET status = :#${exchangeProperty.outcome},
       phase = NULL,
       ended_at = now(),
       updated_at = now(),
       lease_until = NULL,
       next_retry_at = NULL,
       last_error = :#${exchangeProperty.errorMessage},
       rag_message = :#${exchangeProperty.errorMessage}
 WHERE id = :#${variable.job.id}
RETURNING status, rag_message AS message, CAST(EXTRACT(EPOCH FROM (ended_at - started_at)) * 1000 AS BIGINT) AS duration_ms
