-- Records what RAGFlow's listing by external id found for a removed document. Copies still listed are not left
-- there: the delete is enqueued again, and its own proof follows.
WITH checked AS (
    UPDATE deletion_proof
       SET verified_at = now(),
           verified_absent = CAST(:#${variable.copies} AS INT) = 0,
           verification = CASE WHEN ragflow_dataset_id IS NULL
                               THEN 'never reached RAGFlow: no dataset held it'
                               ELSE 'RAGFlow lists ' || :#${variable.copies} || ' document(s) with external_id '
                                    || document_id || ' in dataset ' || ragflow_dataset_id END
     WHERE id = :#${variable.proof[id]}
       AND verified_at IS NULL
    RETURNING document_id, knowledge_base_id, source, verified_absent
)
SELECT ragsync_enqueue(document_id, knowledge_base_id, 'delete', source, 'ragflow')
  FROM checked
 WHERE NOT verified_absent
