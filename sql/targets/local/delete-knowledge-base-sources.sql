DELETE FROM index_source WHERE knowledge_base_id = :knowledgeBaseId
