-- Ends a job successfully ('indexed', 'truncated' or 'deleted'; a truncated job's reason, incompleteReason, is its
-- last_error) and returns its status, log message and how long the attempt took. The attempt's log line is written by the same statement,
-- so whoever sees the job ended also sees its log; when the parse tracker saw RAGFlow's run DONE (ragflowRun),
-- the document's status (run, chunk count, RAGFlow's progress line) is written by it too. Once only: a job
-- that already ended with this outcome (a parse status checked twice, e.g. by two instances) is left as it is,
-- and so is its document (a newer job may own its status by then): no second log line, and no row comes back.
WITH done AS (
    UPDATE sync_job
       SET status = :#${exchangeProperty.outcome},
           phase = NULL,
           ended_at = now(),
           updated_at = now(),
           lease_until = NULL,
           next_retry_at = NULL,
           last_error = :#${exchangeProperty.incompleteReason},
           rag_message = :#${exchangeProperty.ragMessage}
     WHERE id = :#${variable.job.id}
       AND status <> :#${exchangeProperty.outcome}
    RETURNING id, document_id, status, rag_message, started_at, ended_at
), logged AS (
    INSERT INTO sync_job_log (job_id, level, event, message)
    SELECT id, 'INFO', status, rag_message
      FROM done
), document_parsed AS (
    UPDATE document_sync s
       SET status = :#${exchangeProperty.outcome},
           run = :#${exchangeProperty.ragflowRun},
           progress_msg = :#${exchangeProperty.progressMessage},
           chunk_count = :#${exchangeProperty.chunkCount},
           last_error = NULL,
           synced_at = now(),
           updated_at = now()
      FROM done
     WHERE s.document_id = done.document_id
       AND CAST(:#${exchangeProperty.ragflowRun} AS TEXT) = 'DONE'
)
SELECT status, rag_message AS message, CAST(EXTRACT(EPOCH FROM (ended_at - started_at)) * 1000 AS BIGINT) AS duration_ms
  FROM done
