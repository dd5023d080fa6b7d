-- A deleted knowledge base takes all its chunks along, whatever their source.
DELETE FROM index_chunk WHERE knowledge_base_id = :knowledgeBaseId
