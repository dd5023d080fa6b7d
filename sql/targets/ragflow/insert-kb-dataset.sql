-- Persists the knowledge base -> dataset mapping; the first writer wins if two instances race.
INSERT INTO kb_dataset (knowledge_base_id, ragflow_dataset_id, dataset_name)
VALUES (:#${exchangeProperty.knowledgeBaseId}, :#${exchangeProperty.candidateDatasetId},
        :#${exchangeProperty.candidateDatasetName})
ON CONFLICT (knowledge_base_id) DO NOTHING
