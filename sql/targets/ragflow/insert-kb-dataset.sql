-- Persists the knowledge base -> dataset mapping (variable dataset: the dataset adopted or created, as RAGFlow
-- names it); the first writer wins if two instances race.
INSERT INTO kb_dataset (knowledge_base_id, ragflow_dataset_id, dataset_name)
VALUES (:#${exchangeProperty.knowledgeBaseId}, :#${variable.dataset.id}, :#${variable.dataset.name})
ON CONFLICT (knowledge_base_id) DO NOTHING
