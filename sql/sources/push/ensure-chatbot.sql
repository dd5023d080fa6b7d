-- The knowledge base of a chatbot, created on first use (called under lock-chatbot.sql, so never twice) with the
-- pushing credential's tenant and roles, which every chunk of the chatbot then carries. A knowledge base deleted
-- behind the push API's back is replaced by a new one. Returns the knowledge base's tenant for the tenant check.
WITH current_kb AS (
    SELECT c.knowledge_base_id, k.tenant, k.name
      FROM push_chatbot c
      JOIN knowledge_base k ON k.id = c.knowledge_base_id
     WHERE c.chatbot_id = :#${variable.push.chatbotId}
       AND c.removed_at IS NULL
     ORDER BY c.id DESC
     LIMIT 1),
created_kb AS (
    INSERT INTO knowledge_base (name, description, tenant, allowed_roles)
    SELECT CAST(:#${properties:app.push.knowledge-base-prefix} AS TEXT) || :#${variable.push.chatbotId},
           'Chatbot ' || :#${variable.push.chatbotId} || ', fed by the RAGSync push API',
           CAST(:#${exchangeProperty.chatbotTenant} AS TEXT),
           ARRAY(SELECT jsonb_array_elements_text(CAST(:#${exchangeProperty.chatbotRolesJson} AS JSONB)))
     WHERE NOT EXISTS (SELECT 1 FROM current_kb)
    RETURNING id, tenant, name),
mapped AS (
    INSERT INTO push_chatbot (chatbot_id, knowledge_base_id)
    SELECT :#${variable.push.chatbotId}, id FROM created_kb
    RETURNING knowledge_base_id)
SELECT knowledge_base_id, tenant, name, false AS created FROM current_kb
UNION ALL
SELECT m.knowledge_base_id, k.tenant, k.name, true AS created FROM mapped m JOIN created_kb k ON k.id = m.knowledge_base_id
