-- The knowledge bases that have a RAGFlow dataset: what reconciliation compares, one dataset at a time.
SELECT m.knowledge_base_id, m.ragflow_dataset_id, m.dataset_name
  FROM kb_dataset m
  JOIN knowledge_base k ON k.id = m.knowledge_base_id
 ORDER BY m.knowledge_base_id
