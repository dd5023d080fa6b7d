-- Records what LightRAG's listing found of a removed document (parameters: lightragSync.stillListed): none of its
-- uploads listed proves it absent. One still listed may be a deletion LightRAG is still carrying out: it is checked
-- again next run, and fails the proof once the removal is overdue.
UPDATE deletion_proof
   SET verified_at = now(),
       verified_absent = CAST(:#copies AS BIGINT) = 0,
       verification = 'LightRAG lists ' || CAST(:#copies AS TEXT) || ' document(s) uploaded for document '
                      || document_id
 WHERE id = CAST(:#id AS BIGINT)
   AND verified_at IS NULL
   AND (CAST(:#copies AS BIGINT) = 0 OR CAST(:#overdue AS BOOLEAN))
