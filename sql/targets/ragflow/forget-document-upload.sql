-- RAGFlow lost the document while parsing: forget it so the retry uploads again.
UPDATE document_sync
   SET ragflow_document_id = NULL,
       content_hash = NULL,
       meta_hash = NULL,
       status = 'failed',
       last_error = :#${exchangeProperty.errorMessage},
       updated_at = now()
 WHERE document_id = :#${exchangeProperty.documentId}
