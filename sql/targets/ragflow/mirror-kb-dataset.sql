-- Informative copy of the mapping on the backend's knowledge_base row.
UPDATE knowledge_base
   SET ragflow_dataset_id = :#${exchangeProperty.datasetId}
 WHERE id = :#${exchangeProperty.knowledgeBaseId}
   AND ragflow_dataset_id IS DISTINCT FROM :#${exchangeProperty.datasetId}
