-- Backpressure on RAGFlow: while too many of our documents parse there, or the oldest of them has waited longer
-- than the backlog limit (RAGFlow's task queue is falling behind), new uploads are not claimed; they wait in the
-- queue without an attempt counted. Deletes and other targets go on. One definition for the claim, the
-- dashboard and the metrics.
CREATE INDEX sync_job_parsing_idx ON sync_job (parse_started_at) WHERE status = 'processing' AND phase = 'parsing';

CREATE FUNCTION ragsync_ragflow_backpressure(p_max_parsing INT, p_backlog_seconds INT)
RETURNS TABLE (parsing BIGINT, oldest_parse_seconds BIGINT, holding_back BOOLEAN, reason TEXT)
LANGUAGE sql STABLE AS $$
    SELECT p.parsing, p.oldest,
           p.parsing >= p_max_parsing OR p.oldest > p_backlog_seconds,
           CASE WHEN p.parsing >= p_max_parsing
                    THEN p.parsing || ' documents parsing in RAGFlow (RAGFLOW_MAX_PARSING ' || p_max_parsing || ')'
                WHEN p.oldest > p_backlog_seconds
                    THEN 'RAGFlow has been parsing a document for ' || p.oldest || ' s, its queue is falling behind'
                         || ' (RAGFLOW_PARSE_BACKLOG_SECONDS ' || p_backlog_seconds || ')'
           END
      FROM (SELECT count(*) AS parsing,
                   coalesce(CAST(EXTRACT(EPOCH FROM now() - min(parse_started_at)) AS BIGINT), 0) AS oldest
              FROM sync_job
             WHERE status = 'processing' AND phase = 'parsing') p
$$;
