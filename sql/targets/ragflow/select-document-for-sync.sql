-- Everything the upsert needs: the document, its knowledge base and dataset mapping, the tenant and roles its
-- chunks carry (ragsync_document_access), and what was synced last.
SELECT d.id                      AS document_id,
       d.knowledge_base_id,
       d.title,
       d.file_path,
       d.updated_at,
       k.name                    AS kb_name,
       k.description             AS kb_description,
       a.tenant,
       CAST(to_jsonb(a.allowed_roles) AS TEXT) AS allowed_roles_json,
       m.ragflow_dataset_id      AS kb_dataset_id,
       s.ragflow_dataset_id      AS synced_dataset_id,
       s.ragflow_document_id,
       s.ragflow_document_name,
       s.content_hash,
       s.meta_hash,
       s.status                  AS sync_status,
       coalesce(s.upload_pending, false) AS upload_pending,
       s.previous_ragflow_document_id,
       coalesce(k.replace_mode, :#${properties:app.ragflow.replace-mode}) AS replace_mode
  FROM document d
  JOIN knowledge_base k ON k.id = d.knowledge_base_id
  CROSS JOIN LATERAL ragsync_document_access(d.id) a
  LEFT JOIN kb_dataset m ON m.knowledge_base_id = d.knowledge_base_id
  LEFT JOIN document_sync s ON s.document_id = d.id
 WHERE d.id = :#${exchangeProperty.documentId}
