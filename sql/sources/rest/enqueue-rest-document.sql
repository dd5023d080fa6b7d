-- The day's document file was rewritten in place (same path, no column changed): enqueue its upsert
-- explicitly; it coalesces with a pending job of the document.
SELECT ragsync_enqueue(:#${exchangeProperty.documentId}, :#${exchangeProperty.knowledgeBaseId}, 'upsert', 'rest') AS job_id
