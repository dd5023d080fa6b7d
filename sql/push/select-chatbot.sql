-- The current knowledge base of a chatbot, if it has one (read-only lookup).
SELECT c.knowledge_base_id
  FROM push_chatbot c
  JOIN knowledge_base k ON k.id = c.knowledge_base_id
 WHERE c.chatbot_id = :#${exchangeProperty.chatbotId}
   AND c.removed_at IS NULL
 ORDER BY c.id DESC
 LIMIT 1
