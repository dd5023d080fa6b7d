-- The new version is parsed and the earlier one deleted from RAGFlow: one current, searchable copy remains.
UPDATE document_sync
   SET previous_ragflow_document_id = NULL,
       updated_at = now()
 WHERE document_id = :#${exchangeProperty.documentId}
   AND previous_ragflow_document_id = :#${variable.claimed[previous_ragflow_document_id]}
