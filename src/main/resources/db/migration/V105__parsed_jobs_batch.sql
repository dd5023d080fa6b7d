-- Ends the jobs whose documents one tick of the parse tracker found parsed, in one statement: each job indexed with
-- its log row, and its document indexed with RAGFlow's chunk count, as ragsync_job_succeed (V91) ends one job. One
-- statement for a tick's documents instead of one per document; a job already indexed is left as it is (no row).
CREATE FUNCTION ragsync_jobs_parsed(p_job_ids BIGINT[], p_dataset_ids TEXT[], p_messages TEXT[], p_progress TEXT[],
                                    p_chunks BIGINT[])
RETURNS TABLE (job_id BIGINT, document_id BIGINT, knowledge_base_id BIGINT, op TEXT, source TEXT, target TEXT,
               retry_count INT, ragflow_dataset_id TEXT, status TEXT, message TEXT, duration_ms BIGINT)
LANGUAGE sql AS $$
    WITH parsed AS (
        SELECT * FROM unnest(p_job_ids, p_dataset_ids, p_messages, p_progress, p_chunks)
                   AS p(job_id, dataset_id, message, progress, chunks)
    ), done AS (
        UPDATE sync_job j
           SET status = 'indexed', phase = NULL, ended_at = now(), updated_at = now(), lease_until = NULL,
               next_retry_at = NULL, last_error = NULL, rag_message = p.message
          FROM parsed p
         WHERE j.id = p.job_id
           AND j.status <> 'indexed'
        RETURNING j.id, j.document_id, j.knowledge_base_id, j.op, j.source, j.target, j.retry_count, p.dataset_id,
                  p.progress, p.chunks, j.status, j.rag_message, j.started_at, j.ended_at
    ), logged AS (
        INSERT INTO sync_job_log (job_id, level, event, message)
        SELECT d.id, 'INFO', d.status, d.rag_message FROM done d ORDER BY d.id
    ), document_parsed AS (
        UPDATE document_sync s
           SET status = d.status, run = 'DONE', progress_msg = d.progress, chunk_count = d.chunks, last_error = NULL,
               synced_at = now(), updated_at = now()
          FROM done d
         WHERE s.document_id = d.document_id
    )
    SELECT d.id, d.document_id, d.knowledge_base_id, d.op, d.source, d.target, d.retry_count, d.dataset_id, d.status,
           d.rag_message, CAST(EXTRACT(EPOCH FROM (d.ended_at - d.started_at)) * 1000 AS BIGINT)
      FROM done d
$$;
