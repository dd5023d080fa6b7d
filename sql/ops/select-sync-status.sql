-- GET /api/documents/{id}/sync-status: the document's state downstream (target, run, chunk count, RAGFlow ids)
-- and its last jobs with their log, as one JSON document (no row when RAGSync has never heard of the document).
WITH target AS (SELECT CAST(:#${exchangeProperty.documentId} AS BIGINT) AS document_id)
SELECT CAST(json_build_object(
         'documentId', t.document_id,
         'knowledgeBaseId', coalesce(d.knowledge_base_id, s.knowledge_base_id),
         'title', d.title,
         'filePath', d.file_path,
         'existsInBackend', d.id IS NOT NULL,
         'status', coalesce(s.status, (SELECT x.status FROM sync_job x WHERE x.document_id = t.document_id
                                        ORDER BY x.id DESC LIMIT 1)),
         'lastError', s.last_error,
         'syncedAt', s.synced_at,
         'updatedAt', s.updated_at,
         -- the target that holds the document's current state (its last sync job's), else the one queued
         'target', coalesce((SELECT x.target FROM sync_job x WHERE x.id = s.last_job_id),
                            (SELECT x.target FROM sync_job x WHERE x.document_id = t.document_id
                              ORDER BY x.id DESC LIMIT 1)),
         'run', s.run,
         'chunkCount', s.chunk_count,
         'progressMessage', s.progress_msg,
         -- RAGFlow's ids; null for a document RAGFlow never held (the local index has none)
         'ragflow', CASE WHEN s.ragflow_dataset_id IS NOT NULL OR s.ragflow_document_id IS NOT NULL
                         THEN json_build_object('datasetId', s.ragflow_dataset_id,
                                                'documentId', s.ragflow_document_id,
                                                'documentName', s.ragflow_document_name) END,
         'contentHash', s.content_hash,
         'history', coalesce((
             SELECT json_agg(h ORDER BY h."jobId" DESC)
               FROM (SELECT j.id AS "jobId", j.op, j.source, j.status, j.phase, j.retry_count AS "retryCount",
                            j.last_error AS "lastError", j.rag_message AS "ragMessage",
                            j.next_retry_at AS "nextRetryAt", j.created_at AS "createdAt",
                            j.started_at AS "startedAt", j.ended_at AS "endedAt",
                            -- a running job's holder instance and lease (run out: the holder is gone)
                            j.claimed_by AS "claimedBy", j.lease_until AS "leaseUntil",
                            coalesce((SELECT json_agg(json_build_object('level', l.level, 'event', l.event,
                                                                        'message', l.message, 'at', l.created_at)
                                                      ORDER BY l.id)
                                        FROM sync_job_log l WHERE l.job_id = j.id), '[]') AS log
                       FROM sync_job j
                      WHERE j.document_id = t.document_id
                      ORDER BY j.id DESC
                      LIMIT 20) h), '[]')
       ) AS TEXT) AS status_json
  FROM target t
  LEFT JOIN document d ON d.id = t.document_id
  LEFT JOIN document_sync s ON s.document_id = t.document_id
 WHERE d.id IS NOT NULL
    OR s.document_id IS NOT NULL
    OR EXISTS (SELECT 1 FROM sync_job x WHERE x.document_id = t.document_id)
