-- The knowledge bases the caller's tenant may read (its own and those without a tenant; a platform-wide caller,
-- tenant NULL: only those), each with its target, its documents and their sync status counts, as one JSON
-- document. A document not synced yet counts as 'pending'.
SELECT json_build_object('knowledge_bases', coalesce(json_agg(kb ORDER BY kb.id), '[]'::json))::text AS answer
  FROM (SELECT k.id, k.name, ragsync_target_of(k.id) AS target, k.tenant,
               (SELECT count(*) FROM document d WHERE d.knowledge_base_id = k.id) AS documents,
               (SELECT coalesce(json_object_agg(c.status, c.documents), '{}'::json)
                  FROM (SELECT coalesce(s.status, 'pending') AS status, count(*) AS documents
                          FROM document d
                          LEFT JOIN document_sync s ON s.document_id = d.id
                         WHERE d.knowledge_base_id = k.id
                         GROUP BY 1) c) AS status_counts
          FROM knowledge_base k
         WHERE k.tenant IS NULL OR k.tenant = CAST(:#${exchangeProperty.callerTenant} AS TEXT)) kb
