-- RAGFlow could not finish parsing: 'failed' on FAIL/CANCEL or timeout, with RAGFlow's own words (a DONE run is
-- recorded with the job's end by sql/jobs/succeed-job.sql).
UPDATE document_sync
   SET status = :#${exchangeProperty.outcome},
       run = :#${exchangeProperty.ragflowRun},
       progress_msg = :#${exchangeProperty.progressMessage},
       chunk_count = :#${exchangeProperty.chunkCount},
       last_error = CASE WHEN :#${exchangeProperty.outcome} = 'indexed' THEN NULL
                         ELSE :#${exchangeProperty.errorMessage} END,
       synced_at = CASE WHEN :#${exchangeProperty.outcome} = 'indexed' THEN now() ELSE synced_at END,
       updated_at = now()
 WHERE document_id = :#${exchangeProperty.documentId}
