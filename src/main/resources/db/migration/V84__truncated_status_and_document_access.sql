-- Job statuses: the one list of them. 'truncated' = the target holds the document only in part (the local index's
-- chunk cap or text limit cut it); the reason is the job's and the document's last_error.
ALTER TABLE sync_job DROP CONSTRAINT IF EXISTS sync_job_status_check;
ALTER TABLE sync_job ADD CONSTRAINT sync_job_status_check
    CHECK (status IN ('queued', 'processing', 'indexed', 'truncated', 'deleted', 'failed',
                      'download_failed', 'config_error', 'superseded'));

-- The tenant and roles every chunk of a document carries, to every target, whatever its source:
--   a REST source's daily document: the source's tenant and the roles stored on its chunks;
--   any other document (backend, drop folder, push chatbot): its own roles, else its knowledge base's, and its
--   knowledge base's tenant (a chatbot's knowledge base gets the pushing credential's, a REST source's its own).
-- NULL tenant = visible to every tenant; empty roles = visible to every role.
CREATE FUNCTION ragsync_document_access(p_document_id BIGINT)
RETURNS TABLE (tenant TEXT, allowed_roles TEXT[]) LANGUAGE sql STABLE AS $$
    SELECT coalesce(s.tenant_id, k.tenant),
           coalesce(d.allowed_roles,
                    (SELECT array_agg(DISTINCT r.role ORDER BY r.role)
                       FROM kb_rest_chunks c
                      CROSS JOIN LATERAL jsonb_array_elements_text(c.allowed_roles) AS r(role)
                      WHERE c.document_id = d.id),
                    k.allowed_roles,
                    ARRAY[]::TEXT[])
      FROM document d
      JOIN knowledge_base k ON k.id = d.knowledge_base_id
      LEFT JOIN kb_rest_documents rd ON rd.document_id = d.id
      LEFT JOIN kb_sources s ON s.id = rd.source_id
     WHERE d.id = p_document_id
$$;

-- Knowledge bases the hub made for REST sources carry their source's tenant (retrieval by knowledge base).
UPDATE knowledge_base k
   SET tenant = s.tenant_id
  FROM kb_sources s
 WHERE s.knowledge_base_id = k.id
   AND k.tenant IS NULL;

-- REST daily documents indexed before their chunks carried tenant and roles: synced again (the local index stores
-- every chunk with its access, reusing its embeddings; RAGFlow gets a metadata-only update).
DO $$
BEGIN
    PERFORM ragsync_enqueue(rd.document_id, d.knowledge_base_id, 'upsert', 'rest')
       FROM kb_rest_documents rd
       JOIN document d ON d.id = rd.document_id;
END $$;
