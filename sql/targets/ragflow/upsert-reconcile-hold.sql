-- A held-back reconciliation of one dataset, for the operator's approval; it replaces the dataset's open hold.
INSERT INTO reconcile_hold (knowledge_base_id, ragflow_dataset_id, orphans, orphan_count, listed,
                            max_delete_percent, reason, detail)
VALUES (:#knowledgeBaseId, :#datasetId, CAST(:#orphans AS jsonb), :#orphanCount, :#listed,
        :#maxDeletePercent, :#reason, :#detail)
ON CONFLICT (ragflow_dataset_id) WHERE approved_at IS NULL
DO UPDATE SET knowledge_base_id = EXCLUDED.knowledge_base_id, orphans = EXCLUDED.orphans,
              orphan_count = EXCLUDED.orphan_count, listed = EXCLUDED.listed,
              max_delete_percent = EXCLUDED.max_delete_percent, reason = EXCLUDED.reason,
              detail = EXCLUDED.detail, created_at = now()
