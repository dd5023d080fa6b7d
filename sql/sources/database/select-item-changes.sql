-- (hub) A source's items whose status, times or message changed since they were last written back.
SELECT m.remote_id, i.status, i.started_at, i.ended_at, i.rag_message, i.sync_job_id, i.updated_at
  FROM source_db_row m
  JOIN ingest_queue_item i ON i.id = m.local_id
 WHERE m.source_db = :source AND m.kind = 'ingest_queue_item'
   AND m.mirrored_updated_at IS DISTINCT FROM i.updated_at
 ORDER BY i.updated_at, i.id
 LIMIT :batchSize
