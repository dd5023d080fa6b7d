-- A job as the push API reports it: pending (queued, processing), synced (indexed, deleted), truncated (indexed
-- only in part: last_error says why) or error (failed, download_failed, config_error). A superseded job (a newer event of the same document took over) is reported
-- through the newest job of its document. chunk_count is what the target reported after parsing/indexing.
-- timed_out compares with the deadline of a synchronous answer (NULL when there is none). A tenant-bound caller
-- finds only the jobs of its own tenant's knowledge bases (chatbotTenant NULL = a platform-wide caller).
WITH asked AS (
    SELECT j.* FROM sync_job j
     WHERE j.id = :#${variable.pushJob[job_id]}
       AND (CAST(:#${exchangeProperty.chatbotTenant} AS TEXT) IS NULL
            OR EXISTS (SELECT 1 FROM knowledge_base k
                        WHERE k.id = j.knowledge_base_id
                          AND k.tenant = CAST(:#${exchangeProperty.chatbotTenant} AS TEXT)))),
effective AS (
    SELECT coalesce((SELECT n.id FROM sync_job n, asked a
                      WHERE a.status = 'superseded' AND n.document_id = a.document_id AND n.id > a.id
                      ORDER BY n.id DESC LIMIT 1),
                    (SELECT id FROM asked)) AS id)
SELECT j.id AS job_id,
       a.id AS requested_job_id,
       j.op,
       j.status AS job_status,
       CASE WHEN j.status IN ('indexed', 'deleted') THEN 'synced'
            WHEN j.status = 'truncated' THEN 'truncated'
            WHEN j.status IN ('failed', 'download_failed', 'config_error') THEN 'error'
            ELSE 'pending' END AS state,
       j.document_id,
       j.knowledge_base_id,
       j.target,
       j.retry_count,
       j.last_error,
       j.rag_message,
       j.next_retry_at,
       j.created_at,
       j.ended_at,
       CAST(EXTRACT(EPOCH FROM (coalesce(j.ended_at, now()) - a.created_at)) * 1000 AS BIGINT) AS sync_ms,
       ds.chunk_count,
       ps.source_type,
       ps.source_id,
       coalesce(ps.chatbot_id, (SELECT c.chatbot_id FROM push_chatbot c
                                 WHERE c.knowledge_base_id = j.knowledge_base_id)) AS chatbot_id,
       CASE WHEN CAST(:#${variable.pushJob[deadline]} AS TIMESTAMPTZ) IS NULL THEN false
            ELSE clock_timestamp() > CAST(:#${variable.pushJob[deadline]} AS TIMESTAMPTZ) END AS timed_out
  FROM asked a
  JOIN effective e ON true
  JOIN sync_job j ON j.id = e.id
  LEFT JOIN document_sync ds ON ds.document_id = j.document_id
  LEFT JOIN push_source ps ON ps.document_id = j.document_id
