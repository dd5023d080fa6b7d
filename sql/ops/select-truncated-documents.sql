-- Documents whose current state downstream is truncated (held only in part), for the ragsync.documents.truncated gauge.
SELECT count(*) AS documents
  FROM document_sync
 WHERE status = 'truncated'
