-- The upload answered: remember the RAGFlow document and what was uploaded.
UPDATE document_sync
   SET ragflow_document_id = :#${exchangeProperty.ragflowDocumentId},
       ragflow_document_name = :#${exchangeProperty.ragflowDocumentName},
       content_hash = :#${exchangeProperty.file.sha256},
       meta_hash = :#${exchangeProperty.metaHash},
       file_size = :#${exchangeProperty.file.size},
       status = 'uploaded',
       upload_pending = false,
       updated_at = now()
 WHERE document_id = :#${exchangeProperty.documentId}
