SELECT knowledge_base_id, ragflow_dataset_id, dataset_name
  FROM kb_dataset
 WHERE knowledge_base_id = :#${exchangeProperty.knowledgeBaseId}
