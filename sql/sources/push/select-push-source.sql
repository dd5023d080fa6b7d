-- The document of a pushed source in the chatbot's knowledge base (select-chatbot.sql), if it has one.
SELECT s.document_id
  FROM push_source s
 WHERE s.knowledge_base_id = :#${variable.knowledgeBaseId}
   AND s.source_type = :#${variable.push.sourceType}
   AND s.source_id = :#${variable.push.sourceId}
