-- LightRAG took the upload: its track id (and its doc id when it held the file already), from lightragSync.uploadRow.
UPDATE lightrag_document
   SET pending_track_id = :#trackId,
       pending_doc_id = :#docId,
       updated_at = now()
 WHERE document_id = :#${exchangeProperty.documentId}
