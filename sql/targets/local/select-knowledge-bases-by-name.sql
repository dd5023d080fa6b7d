-- The knowledge bases with these names (a JSON array) that the caller's tenant may read: its own and those
-- without a tenant (a platform-wide caller, tenant NULL: only those), as retrieval sees their chunks.
SELECT k.name, k.id
  FROM knowledge_base k
 WHERE k.name IN (SELECT jsonb_array_elements_text(CAST(:#${exchangeProperty.knowledgeBaseNames} AS JSONB)))
   AND (k.tenant IS NULL OR k.tenant = CAST(:#${exchangeProperty.callerTenant} AS TEXT))
 ORDER BY k.id
