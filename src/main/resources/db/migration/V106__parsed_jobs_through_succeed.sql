-- A tick's parsed documents end through ragsync_job_succeed (V91), the one definition of how a job succeeds: its
-- row, its log line and its document's status. V105 had spelled that out a second time; the batch keeps its single
-- statement (one round trip and one transaction per tick) and calls the transition once per job.
CREATE OR REPLACE FUNCTION ragsync_jobs_parsed(p_job_ids BIGINT[], p_dataset_ids TEXT[], p_messages TEXT[],
                                               p_progress TEXT[], p_chunks BIGINT[])
RETURNS TABLE (job_id BIGINT, document_id BIGINT, knowledge_base_id BIGINT, op TEXT, source TEXT, target TEXT,
               retry_count INT, ragflow_dataset_id TEXT, status TEXT, message TEXT, duration_ms BIGINT)
LANGUAGE sql AS $$
    SELECT j.id, j.document_id, j.knowledge_base_id, j.op, j.source, j.target, j.retry_count, p.dataset_id,
           s.status, s.message, s.duration_ms
      FROM unnest(p_job_ids, p_dataset_ids, p_messages, p_progress, p_chunks)
               WITH ORDINALITY AS p(job_id, dataset_id, message, progress, chunks, n)
      JOIN sync_job j ON j.id = p.job_id
     CROSS JOIN LATERAL ragsync_job_succeed(p.job_id, 'indexed', p.message, NULL, 'DONE', p.progress, p.chunks,
                                            NULL, 0) s
     ORDER BY p.n
$$;
