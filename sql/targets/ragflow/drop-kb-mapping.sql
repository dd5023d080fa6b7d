-- The knowledge base is gone but its dataset is kept (app.ragflow.delete-dataset-on-kb-delete=false).
DELETE FROM kb_dataset WHERE knowledge_base_id = :#${exchangeProperty.knowledgeBaseId}
