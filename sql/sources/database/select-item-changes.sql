-- (hub) A source's items whose status, times or message changed since they were last written back (through the
-- partial index of V97), with the hub document of their node and the node's id in the source.
SELECT m.remote_id, i.status, i.started_at, i.ended_at, i.rag_message, i.sync_job_id, i.updated_at,
       n.document_id, mn.remote_id AS node_remote_id
  FROM source_db_row m
  JOIN ingest_queue_item i ON i.id = m.local_id
  JOIN ingest_document n ON n.id = i.document_node_id
  LEFT JOIN source_db_row mn ON mn.kind = 'ingest_document' AND mn.local_id = n.id
 WHERE m.source_db = :source AND m.kind = 'ingest_queue_item'
   AND m.changed_updated_at IS DISTINCT FROM m.mirrored_updated_at
 ORDER BY i.updated_at, i.id
 LIMIT :batchSize
