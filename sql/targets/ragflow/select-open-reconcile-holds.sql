-- The reconciliations held back for the operator (GET /api/reconcile/holds, the /ops page), newest first, as JSON.
SELECT coalesce(json_agg(json_build_object(
           'id', h.id, 'knowledgeBaseId', h.knowledge_base_id, 'knowledgeBase', k.name,
           'datasetId', h.ragflow_dataset_id, 'orphans', h.orphans, 'orphanCount', h.orphan_count,
           'listed', h.listed, 'maxDeletePercent', h.max_delete_percent, 'reason', h.reason,
           'detail', h.detail, 'createdAt', h.created_at) ORDER BY h.created_at DESC, h.id DESC), '[]')::text
  FROM reconcile_hold h
  JOIN knowledge_base k ON k.id = h.knowledge_base_id
 WHERE h.approved_at IS NULL
