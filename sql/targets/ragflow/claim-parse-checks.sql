-- Parsing jobs due for a status check, claimed with SKIP LOCKED so one instance checks each at a time. Locked once
-- (a materialized CTE): as a subquery of the UPDATE, a plan that rescans it locked the next jobs on every rescan.
WITH due AS MATERIALIZED (
    SELECT p.id
      FROM sync_job p
     WHERE p.status = 'processing'
       AND p.phase = 'parsing'
       AND p.updated_at <= now() - make_interval(secs => :#${properties:app.ragflow.parse-poll-interval-ms} / 1000.0)
     ORDER BY p.updated_at
     LIMIT 50
       FOR UPDATE SKIP LOCKED
)
UPDATE sync_job j
   SET updated_at = now(),
       lease_until = now() + make_interval(secs => :#${properties:app.jobs.lease-seconds})
  FROM due d, document_sync s
 WHERE j.id = d.id
   AND s.document_id = j.document_id
RETURNING j.id AS job_id, j.document_id, j.knowledge_base_id, j.op, j.source, j.target, j.retry_count, j.claims,
          s.ragflow_dataset_id, s.ragflow_document_id, s.previous_ragflow_document_id,
          (j.parse_started_at < now() - make_interval(secs => :#${properties:app.ragflow.parse-timeout-seconds})) AS parse_overdue
