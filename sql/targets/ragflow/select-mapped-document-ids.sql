-- RAGFlow documents that belong to some other document, or are this one's version kept searchable while the new
-- one parses (never treat them as leftovers).
SELECT ragflow_document_id
  FROM document_sync
 WHERE ragflow_document_id IS NOT NULL
   AND document_id <> :#${exchangeProperty.doc.documentId}
   AND ragflow_dataset_id = :#${exchangeProperty.doc.syncedDatasetId}
 UNION ALL
SELECT previous_ragflow_document_id
  FROM document_sync
 WHERE previous_ragflow_document_id IS NOT NULL
   AND ragflow_dataset_id = :#${exchangeProperty.doc.syncedDatasetId}
