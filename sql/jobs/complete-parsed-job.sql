-- RAGFlow finished parsing the job's document (run DONE): the document's status ('indexed', run, chunk count,
-- RAGFlow's progress line), the attempt's log line and the job's end, in one statement. Once only, as in
-- complete-job.sql: a job that already ended 'indexed' (its parse checked twice) changes nothing, and neither
-- does its document (a newer job may own its status by then); no row comes back.
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
    RETURNING id, document_id, started_at, ended_at
), logged AS (
    INSERT INTO sync_job_log (job_id, level, event, message)
    SELECT id, :#${exchangeProperty.logLevel}, :#${exchangeProperty.logEvent}, :#${exchangeProperty.logMessage}
      FROM done
), document_indexed AS (
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
)
SELECT CAST(EXTRACT(EPOCH FROM (ended_at - started_at)) * 1000 AS BIGINT) AS duration_ms
  FROM done
