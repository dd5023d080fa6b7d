-- The knowledge base is gone from LightRAG: the mappings of its documents go too.
DELETE FROM lightrag_document WHERE knowledge_base_id = :#${exchangeProperty.knowledgeBaseId}
