-- The knowledge base of a chatbot, created on first use (called under lock-chatbot.sql, so never twice).
-- A knowledge base deleted behind the push API's back is replaced by a new one.
WITH current_kb AS (
    SELECT c.knowledge_base_id
      FROM push_chatbot c
      JOIN knowledge_base k ON k.id = c.knowledge_base_id
     WHERE c.chatbot_id = :#${exchangeProperty.chatbotId}
       AND c.removed_at IS NULL
     ORDER BY c.id DESC
     LIMIT 1),
created_kb AS (
    INSERT INTO knowledge_base (name, description)
    SELECT :#${exchangeProperty.knowledgeBaseName}, :#${exchangeProperty.knowledgeBaseDescription}
     WHERE NOT EXISTS (SELECT 1 FROM current_kb)
    RETURNING id),
mapped AS (
    INSERT INTO push_chatbot (chatbot_id, knowledge_base_id)
    SELECT :#${exchangeProperty.chatbotId}, id FROM created_kb
    RETURNING knowledge_base_id)
SELECT knowledge_base_id, false AS created FROM current_kb
UNION ALL
SELECT knowledge_base_id, true AS created FROM mapped
