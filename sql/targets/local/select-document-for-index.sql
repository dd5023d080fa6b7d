-- Everything the local upsert needs about a backend document: file, title, knowledge base, access control
-- (ragsync_document_access: the tenant and roles of its source) and, for a REST source's daily document, the
-- source whose chunks it is made of (indexed as the source chunked them).
SELECT d.id                  AS document_id,
       d.knowledge_base_id,
       d.title,
       d.file_path,
       d.updated_at,
       k.name                AS kb_name,
       a.tenant,
       CAST(to_jsonb(a.allowed_roles) AS TEXT) AS allowed_roles_json,
       rd.source_id          AS rest_source_id
  FROM document d
  JOIN knowledge_base k ON k.id = d.knowledge_base_id
  CROSS JOIN LATERAL ragsync_document_access(d.id) a
  LEFT JOIN kb_rest_documents rd ON rd.document_id = d.id
 WHERE d.id = :#${exchangeProperty.documentId}
