-- (source database) The item's status, times and message as the hub has them; the same values twice change nothing.
UPDATE ingest_queue_item
   SET status = :status, started_at = :started_at, ended_at = :ended_at, rag_message = :rag_message,
       sync_job_id = :sync_job_id, updated_at = :updated_at
 WHERE id = :remote_id
