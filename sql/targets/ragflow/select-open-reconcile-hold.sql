-- One open hold, to approve.
SELECT id, knowledge_base_id, ragflow_dataset_id, orphans::text AS orphans, orphan_count
  FROM reconcile_hold
 WHERE id = :#${exchangeProperty.holdId}
   AND approved_at IS NULL
