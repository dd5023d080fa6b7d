-- The document to upsert (no row when it is gone from the backend) with its LightRAG mapping; overdue: the version
-- on its way has not been processed within app.lightrag.track-timeout-seconds.
SELECT d.id AS document_id, d.knowledge_base_id, d.file_path, m.doc_id, m.content_hash,
       m.pending_file_name, m.pending_hash, m.pending_track_id, m.pending_doc_id,
       coalesce(m.pending_since < now() - make_interval(secs => :#${properties:app.lightrag.track-timeout-seconds}),
                false) AS overdue
  FROM document d
  LEFT JOIN lightrag_document m ON m.document_id = d.id
 WHERE d.id = :#${exchangeProperty.documentId}
