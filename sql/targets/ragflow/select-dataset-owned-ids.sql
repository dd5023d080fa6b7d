-- RAGFlow documents of one dataset that a current document owns (never orphans). The row of a document
-- deleted without its event reaching RAGSync does not count: its RAGFlow copy is an orphan. The version a swap
-- keeps searchable while the new one parses is owned too.
SELECT v.id AS ragflow_document_id
  FROM document_sync s
  JOIN document d ON d.id = s.document_id
 CROSS JOIN LATERAL (VALUES (s.ragflow_document_id), (s.previous_ragflow_document_id)) v(id)
 WHERE s.ragflow_dataset_id = :#${exchangeProperty.datasetId}
   AND v.id IS NOT NULL
