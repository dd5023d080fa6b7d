-- Content unchanged, metadata updated in place: remember the new metadata hash.
UPDATE document_sync
   SET meta_hash = :#${exchangeProperty.doc.newMetaHash},
       last_job_id = :#${exchangeProperty.jobId},
       updated_at = now()
 WHERE document_id = :#${exchangeProperty.doc.documentId}
