-- Written before the upload: if the answer is lost (crash, timeout), the next attempt knows an upload
-- may exist under this name and cleans it up first. Swapping, the searchable version becomes the previous one
-- (an earlier previous one stays: the version in between never became searchable and was deleted first).
INSERT INTO document_sync (document_id, knowledge_base_id, ragflow_dataset_id, ragflow_document_id,
                           ragflow_document_name, status, upload_pending, last_job_id, last_error, updated_at)
VALUES (:#${exchangeProperty.doc.documentId}, :#${exchangeProperty.doc.knowledgeBaseId}, :#${exchangeProperty.datasetId},
        NULL, :#${exchangeProperty.doc.name}, 'uploading', true, :#${exchangeProperty.jobId}, NULL, now())
ON CONFLICT (document_id) DO UPDATE
   SET knowledge_base_id = EXCLUDED.knowledge_base_id,
       ragflow_dataset_id = EXCLUDED.ragflow_dataset_id,
       previous_ragflow_document_id = CASE WHEN :#${exchangeProperty.doc.swap}
                                           THEN coalesce(document_sync.previous_ragflow_document_id,
                                                         document_sync.ragflow_document_id) END,
       ragflow_document_id = NULL,
       ragflow_document_name = EXCLUDED.ragflow_document_name,
       status = 'uploading',
       upload_pending = true,
       run = NULL,
       chunk_count = NULL,
       last_job_id = EXCLUDED.last_job_id,
       last_error = NULL,
       updated_at = now()
