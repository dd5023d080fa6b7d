UPDATE document_sync
   SET status = 'parsing',
       run = 'RUNNING',
       last_job_id = :#${exchangeProperty.jobId},
       updated_at = now()
 WHERE document_id = :#${exchangeProperty.documentId}
