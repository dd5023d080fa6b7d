-- The day's document file was rewritten in place (same path, no column changed): enqueue its upsert
-- explicitly; it coalesces with a pending job of the document.
SELECT ragsync_enqueue(:#${variable.batch.day.documentId}, :#${variable.batch.day.knowledgeBaseId}, 'upsert', 'rest') AS job_id
