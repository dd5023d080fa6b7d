-- LightRAG removals not checked yet, oldest first, a batch per verification run. LightRAG deletes in the background:
-- a removal is overdue once it has had as long as an upload is given to be processed (app.lightrag.track-timeout-seconds).
SELECT id, document_id,
       removed_at < now() - make_interval(secs => CAST(:#${properties:app.lightrag.track-timeout-seconds} AS DOUBLE PRECISION))
           AS overdue
  FROM deletion_proof
 WHERE target = 'lightrag'
   AND removed_at IS NOT NULL
   AND verified_at IS NULL
 ORDER BY removed_at, id
 LIMIT 50
