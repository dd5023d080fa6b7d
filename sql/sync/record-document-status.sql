-- Per-document status after a job ends without reaching RAGFlow (download_failed, config_error, failed...).
INSERT INTO document_sync (document_id, knowledge_base_id, status, last_error, last_job_id, updated_at)
VALUES (:#${exchangeProperty.documentId}, :#${exchangeProperty.knowledgeBaseId}, :#${exchangeProperty.outcome},
        :#${exchangeProperty.errorMessage}, :#${exchangeProperty.jobId}, now())
ON CONFLICT (document_id) DO UPDATE
   SET status = EXCLUDED.status,
       last_error = EXCLUDED.last_error,
       last_job_id = EXCLUDED.last_job_id,
       updated_at = now()
