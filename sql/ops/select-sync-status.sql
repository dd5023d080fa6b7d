-- GET /api/documents/{id}/sync-status: the document's state downstream as one JSON document (no row when RAGSync
-- has never heard of the document). Anyone may ask for the state (status, target, run, chunk count, times); what
-- says more about the document (title, file path, errors, RAGFlow ids, its last jobs with their log) only a
-- credential of the document's tenant or a platform-wide one reads (detailTenant: the caller's tenant, * for a
-- platform-wide credential, NULL without a credential).
WITH target AS (SELECT CAST(:#${exchangeProperty.documentId} AS BIGINT) AS document_id,
                       CAST(:#${exchangeProperty.detailTenant} AS TEXT) AS detail_tenant)
SELECT CAST(CASE WHEN t.detail_tenant = '*' OR t.detail_tenant = k.tenant THEN json_build_object(
         'documentId', t.document_id,
         'knowledgeBaseId', v.knowledge_base_id,
         'title', d.title,
         'filePath', d.file_path,
         'existsInBackend', d.id IS NOT NULL,
         'status', v.status,
         'lastError', s.last_error,
         'syncedAt', s.synced_at,
         'updatedAt', s.updated_at,
         'target', v.target,
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
       ) ELSE json_build_object(
         'documentId', t.document_id,
         'knowledgeBaseId', v.knowledge_base_id,
         'existsInBackend', d.id IS NOT NULL,
         'status', v.status,
         'syncedAt', s.synced_at,
         'updatedAt', s.updated_at,
         'target', v.target,
         'run', s.run,
         'chunkCount', s.chunk_count
       ) END AS TEXT) AS status_json
  FROM target t
  LEFT JOIN document d ON d.id = t.document_id
  LEFT JOIN document_sync s ON s.document_id = t.document_id
 CROSS JOIN LATERAL (
        SELECT coalesce(d.knowledge_base_id, s.knowledge_base_id) AS knowledge_base_id,
               coalesce(s.status, (SELECT x.status FROM sync_job x WHERE x.document_id = t.document_id
                                    ORDER BY x.id DESC LIMIT 1)) AS status,
               -- the target that holds the document's current state (its last sync job's), else the one queued
               coalesce((SELECT x.target FROM sync_job x WHERE x.id = s.last_job_id),
                        (SELECT x.target FROM sync_job x WHERE x.document_id = t.document_id
                          ORDER BY x.id DESC LIMIT 1)) AS target) v
  LEFT JOIN knowledge_base k ON k.id = v.knowledge_base_id
 WHERE d.id IS NOT NULL
    OR s.document_id IS NOT NULL
    OR EXISTS (SELECT 1 FROM sync_job x WHERE x.document_id = t.document_id)
