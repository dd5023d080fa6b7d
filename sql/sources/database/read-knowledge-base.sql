-- (source database) A knowledge base as it is now (no row: deleted).
SELECT k.id, k.name, k.description, k.target, k.tenant, CAST(k.allowed_roles AS CHAR) AS allowed_roles
  FROM knowledge_base k
 WHERE k.id = :id
