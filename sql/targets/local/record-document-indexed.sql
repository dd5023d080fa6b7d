-- The local index holds the document's current version: same status columns as the RAGFlow target writes
-- (indexed, chunk count, content hash, synced_at), with the indexing summary as progress message. A document
-- held only in part is 'truncated', with the reason as last_error.
INSERT INTO document_sync (document_id, knowledge_base_id, content_hash, meta_hash, file_size, status, run,
                           progress_msg, chunk_count, last_error, last_job_id, synced_at, updated_at)
VALUES (:#${exchangeProperty.documentId}, :#${exchangeProperty.knowledgeBaseId}, :#${exchangeProperty.file.sha256},
        :#${exchangeProperty.metaHash}, :#${exchangeProperty.file.size}, :#${exchangeProperty.outcome}, 'DONE',
        :#${exchangeProperty.ragMessage}, :#${exchangeProperty.chunkCount}, :#${exchangeProperty.incompleteReason},
        :#${exchangeProperty.jobId},
        now(), now())
ON CONFLICT (document_id) DO UPDATE
   SET knowledge_base_id = EXCLUDED.knowledge_base_id,
       content_hash = EXCLUDED.content_hash,
       meta_hash = EXCLUDED.meta_hash,
       file_size = EXCLUDED.file_size,
       status = EXCLUDED.status,
       run = 'DONE',
       upload_pending = false,
       progress_msg = EXCLUDED.progress_msg,
       chunk_count = EXCLUDED.chunk_count,
       last_error = EXCLUDED.last_error,
       last_job_id = EXCLUDED.last_job_id,
       synced_at = now(),
       updated_at = now()
