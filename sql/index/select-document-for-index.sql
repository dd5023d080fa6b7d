-- Everything the local upsert needs about a backend document: file, title, knowledge base, access control
-- (the document's roles, else its knowledge base's; the knowledge base's tenant).
SELECT d.id                  AS document_id,
       d.knowledge_base_id,
       d.title,
       d.file_path,
       d.updated_at,
       k.name                AS kb_name,
       k.tenant,
       CAST(to_jsonb(coalesce(d.allowed_roles, k.allowed_roles, ARRAY[]::TEXT[])) AS TEXT) AS allowed_roles_json
  FROM document d
  JOIN knowledge_base k ON k.id = d.knowledge_base_id
 WHERE d.id = :#${exchangeProperty.documentId}
