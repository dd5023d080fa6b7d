-- RAGFlow documents of one dataset that a current document owns (never orphans). The row of a document
-- deleted without its event reaching RAGSync does not count: its RAGFlow copy is an orphan.
SELECT s.ragflow_document_id
  FROM document_sync s
  JOIN document d ON d.id = s.document_id
 WHERE s.ragflow_dataset_id = :#${exchangeProperty.datasetId}
   AND s.ragflow_document_id IS NOT NULL
