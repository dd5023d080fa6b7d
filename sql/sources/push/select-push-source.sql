-- The pushed source as it is now (under lock-chatbot.sql): its document and file.
SELECT s.document_id, s.revision, s.content_sha256, d.file_path, d.title
  FROM push_source s
  JOIN document d ON d.id = s.document_id
 WHERE s.knowledge_base_id = :#${exchangeProperty.knowledgeBaseId}
   AND s.source_type = :#${exchangeProperty.sourceType}
   AND s.source_id = :#${exchangeProperty.sourceId}
