-- The LightRAG mapping of a document to delete (no row when LightRAG never got it).
SELECT m.document_id, m.knowledge_base_id, CAST(NULL AS TEXT) AS file_path, m.doc_id, m.content_hash,
       m.pending_file_name, m.pending_hash, m.pending_track_id, m.pending_doc_id, false AS overdue
  FROM lightrag_document m
 WHERE m.document_id = :#${exchangeProperty.documentId}
