-- The version on its way is gone from LightRAG (failed and deleted, or an earlier attempt's leftover deleted).
UPDATE lightrag_document
   SET (pending_file_name, pending_hash, pending_track_id, pending_doc_id, pending_since)
     = (NULL, NULL, NULL, NULL, NULL),
       updated_at = now()
 WHERE document_id = :#${exchangeProperty.documentId}
