-- The requested knowledge bases (a JSON array of ids) the caller's tenant may read (its own and those without a
-- tenant; a platform-wide caller, tenant NULL: only those), with their target and RAGFlow dataset.
SELECT k.id, ragsync_target_of(k.id) AS target, m.ragflow_dataset_id
  FROM knowledge_base k
  LEFT JOIN kb_dataset m ON m.knowledge_base_id = k.id
 WHERE k.id IN (SELECT CAST(jsonb_array_elements_text(CAST(:#knowledgeBaseIds AS JSONB)) AS BIGINT))
   AND (k.tenant IS NULL OR k.tenant = CAST(:#tenant AS TEXT))
 ORDER BY k.id
