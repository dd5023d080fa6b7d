-- RAGFlow documents that belong to some other document (never treat them as leftovers).
SELECT ragflow_document_id
  FROM document_sync
 WHERE ragflow_document_id IS NOT NULL
   AND document_id <> :#${exchangeProperty.doc.documentId}
   AND ragflow_dataset_id = :#${exchangeProperty.doc.syncedDatasetId}
