-- RAGFlow removals not checked yet, oldest first, a batch per verification run.
SELECT id, document_id, ragflow_dataset_id
  FROM deletion_proof
 WHERE target = 'ragflow'
   AND removed_at IS NOT NULL
   AND verified_at IS NULL
 ORDER BY removed_at, id
 LIMIT 50
