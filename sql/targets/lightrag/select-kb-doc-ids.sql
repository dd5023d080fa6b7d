-- Every LightRAG document of a knowledge base: the versions served and those on their way.
SELECT doc_id FROM lightrag_document WHERE knowledge_base_id = :#${exchangeProperty.knowledgeBaseId}
UNION
SELECT pending_doc_id FROM lightrag_document WHERE knowledge_base_id = :#${exchangeProperty.knowledgeBaseId}
