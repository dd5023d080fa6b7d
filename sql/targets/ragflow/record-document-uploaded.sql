-- The upload answered: remember the RAGFlow document and what was uploaded. Its meta_fields are not set yet:
-- meta_hash stays NULL until they are (record-document-meta.sql), so a retry after a failed metadata update
-- sets them instead of taking the document for up to date.
UPDATE document_sync
   SET ragflow_document_id = :#${exchangeProperty.doc.ragflowDocumentId},
       ragflow_document_name = :#${exchangeProperty.doc.ragflowDocumentName},
       content_hash = :#${exchangeProperty.doc.contentHash},
       meta_hash = NULL,
       file_size = :#${exchangeProperty.doc.file.size},
       status = 'uploaded',
       upload_pending = false,
       updated_at = now()
 WHERE document_id = :#${exchangeProperty.doc.documentId}
