-- Checks that the local index holds no chunk of a document whose deletion it carried out, and records the count.
UPDATE deletion_proof p
   SET verified_at = now(),
       verified_absent = c.chunks = 0,
       verification = c.chunks || ' chunk(s) of the document in the local index'
  FROM (SELECT d.id,
               (SELECT count(*) FROM index_chunk i
                 WHERE i.source_type = 'document' AND i.source_id = CAST(d.document_id AS TEXT)) AS chunks
          FROM deletion_proof d
         WHERE d.target = 'local'
           AND d.removed_at IS NOT NULL
           AND d.verified_at IS NULL) c
 WHERE p.id = c.id
