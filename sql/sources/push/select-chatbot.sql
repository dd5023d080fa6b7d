-- The current knowledge base of a chatbot, if it has one (read-only lookup). A tenant-bound caller finds only its
-- own tenant's chatbots (chatbotTenant NULL = a platform-wide caller, who finds any).
SELECT c.knowledge_base_id
  FROM push_chatbot c
  JOIN knowledge_base k ON k.id = c.knowledge_base_id
 WHERE c.chatbot_id = :#${variable.push.chatbotId}
   AND c.removed_at IS NULL
   AND (CAST(:#${exchangeProperty.chatbotTenant} AS TEXT) IS NULL
        OR k.tenant = CAST(:#${exchangeProperty.chatbotTenant} AS TEXT))
 ORDER BY c.id DESC
 LIMIT 1
