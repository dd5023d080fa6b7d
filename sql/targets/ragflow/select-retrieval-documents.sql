-- Of these RAGFlow documents (a JSON array of ids), those the hub maps to a document the caller may see now
-- (ragsync_document_access: no tenant or the caller's; no roles or one of the caller's), as the local index filters.
SELECT s.ragflow_document_id
  FROM document_sync s
  CROSS JOIN LATERAL ragsync_document_access(s.document_id) a
 WHERE s.ragflow_document_id IN (SELECT jsonb_array_elements_text(CAST(:#ragflowDocumentIds AS JSONB)))
   AND (a.tenant IS NULL OR a.tenant = CAST(:#tenant AS TEXT))
   AND (cardinality(a.allowed_roles) = 0
        OR a.allowed_roles && ARRAY(SELECT jsonb_array_elements_text(CAST(:#roles AS JSONB))))
