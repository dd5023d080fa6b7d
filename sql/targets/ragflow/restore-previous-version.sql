-- The new version failed to parse and was deleted: the earlier version, still searchable, is the document's RAGFlow
-- copy again. Its content hash is unknown (the failed file's was recorded), so the next sync uploads again.
UPDATE document_sync
   SET ragflow_document_id = previous_ragflow_document_id,
       previous_ragflow_document_id = NULL,
       ragflow_document_name = NULL,
       content_hash = NULL,
       status = 'failed',
       last_error = CAST(:#${exchangeProperty.errorMessage} AS TEXT) || '; previous version kept searchable',
       updated_at = now()
 WHERE document_id = :#${exchangeProperty.documentId}
   AND previous_ragflow_document_id = :#${variable.claimed[previous_ragflow_document_id]}
